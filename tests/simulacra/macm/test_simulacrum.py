"""MACM: at most 5 calls in exactly 2 sequential rounds; what the answer call sees."""

from __future__ import annotations

from collections.abc import Sequence

from llmp_opencompass.data.records import LongTermMemory, MemoryEntry
from llmp_opencompass.llm import ChatMessage, GenerationConfig
from llmp_opencompass.simulacra import MethodOptions, Simulacrum, Stimulus, build_simulacrum
from tests.support.cards import CARD
from tests.support.fakes import RecordingChat, WordEmbedder

MEMORY = LongTermMemory(
    "Mary Jones",
    tuple(
        MemoryEntry(f"{i:03d}", f"Mary remembers event number {i} " + "in the forest " * 20,
                    f"CONTENT-{i}", f"THINKING-{i}", f"EMOTION-{i}")
        for i in range(1, 41)
    ),
)  # fmt: skip
QUESTION = ChatMessage("user", "What do you do at weekends?\nA. rock climbing\nB. knitting")
SCENE = ChatMessage("system", "You are chatting with Alice.")


def _answer(messages: Sequence[ChatMessage]) -> str:
    system = messages[0].content
    if "You help Mary Jones remember" in system:
        return "007, 003" if "007:" in messages[1].content else '"031"'
    if "private thoughts" in system:
        return "THOUGHTS: I love climbing."
    if "mood and feelings" in system:
        return "FEELINGS: excited."
    return "The answer is A."


def _macm(chat: RecordingChat, agent_chat: RecordingChat | None = None, **options: object) -> Simulacrum:
    opts = MethodOptions(page_tokens=2000, **options)  # type: ignore[arg-type]
    return build_simulacrum("macm", chat, CARD, memory=MEMORY, options=opts, agent_chat=agent_chat,
                            embedder=WordEmbedder())  # fmt: skip


def test_macm_five_calls_in_two_concurrent_rounds() -> None:
    chat = RecordingChat(_answer, delay=0.2)
    reply = _macm(chat).respond([SCENE, QUESTION], GenerationConfig(temperature=0.7, max_tokens=64))
    assert reply.text == "The answer is A."
    assert reply.usage.calls == len(chat.calls) == 5 and reply.rounds == 2
    assert reply.usage.prompt_tokens == 500 and reply.usage.completion_tokens == 50
    *first_round, answer = sorted(chat.calls, key=lambda c: c.start)
    assert len({c.thread for c in first_round}) == 4, "round 1 runs on four threads"
    assert max(c.start for c in first_round) < min(c.end for c in first_round), "round 1 calls overlap"
    assert answer.start >= max(c.end for c in first_round), "the answer waits for round 1"
    assert answer.config == GenerationConfig(temperature=0.7, max_tokens=64)
    assert all(c.config.temperature == 0.0 and c.config.max_tokens == 128 for c in first_round)


def test_answer_call_holds_persona_scene_memories_thoughts_and_feelings() -> None:
    chat = RecordingChat(_answer)
    _macm(chat).respond([SCENE, QUESTION], GenerationConfig())
    answer = max(chat.calls, key=lambda c: c.start)
    assert answer.messages[-1] == QUESTION and len(answer.messages) == 2
    system = answer.messages[0].content
    assert system.startswith("You are Mary Jones") and "You are chatting with Alice." in system
    expected = ("CONTENT-7", "THINKING-7", "EMOTION-7", "CONTENT-31", "THOUGHTS: I love", "FEELINGS: excited")
    assert all(text in system for text in expected)
    assert "CONTENT-3\n" not in system, "memory_k=2 keeps the best of each page"
    assert system.index("CONTENT-7") < system.index("CONTENT-31")


def test_agents_can_use_another_model() -> None:
    answering, agents = RecordingChat(_answer), RecordingChat(_answer)
    reply = _macm(answering, agents).respond([SCENE, QUESTION], GenerationConfig())
    assert len(answering.calls) == 1 and len(agents.calls) == 4 and reply.usage.calls == 5


def test_embedding_retrieval_makes_three_calls_in_two_rounds() -> None:
    chat = RecordingChat(_answer)
    reply = _macm(chat, retrieval="embedding", memory_k=1).respond([SCENE, QUESTION], GenerationConfig())
    assert reply.usage.calls == 3 and reply.rounds == 2
    assert not any("remember" in c.messages[0].content[:40] for c in chat.calls)


def test_no_memory_found_says_so() -> None:
    chat = RecordingChat(lambda m: "none" if "You help" in m[0].content else "ok")
    _macm(chat).respond([SCENE, QUESTION], GenerationConfig())
    assert "Nothing in particular comes to mind." in chat.calls[-1].messages[0].content


def test_agents_and_retrieval_are_given_the_stimulus_not_the_frame() -> None:
    chat = RecordingChat(_answer)
    framed = ChatMessage("user", "Alice: something I always wanted to ask.\nWhat do you do at weekends?\n"
                                 "A. rock climbing\nB. knitting\nEnd your reply with \"The answer is\".")  # fmt: skip
    stimulus = Stimulus("What do you do at weekends?", ("rock climbing", "knitting"))
    _macm(chat).respond([SCENE, framed], GenerationConfig(), stimulus)
    *agents, answer = sorted(chat.calls, key=lambda c: c.start)
    assert all(stimulus.query in c.messages[-1].content for c in agents)
    assert not any("Alice" in c.messages[-1].content or "The answer is" in c.messages[-1].content for c in agents)
    assert answer.messages[-1] == framed, "the answering call still sees the whole framed question"


def test_paper_macm_puts_one_memory_and_the_traits_in_a_user_message_after_the_question() -> None:
    chat = RecordingChat(_answer)
    options = MethodOptions(page_tokens=2000, memory_k=1, macm_context="user", persona_closing=True)
    simulacrum = build_simulacrum("macm", chat, CARD, memory=MEMORY, options=options, embedder=WordEmbedder())
    simulacrum.respond([SCENE, QUESTION], GenerationConfig())
    answer = max(chat.calls, key=lambda c: c.start).messages
    assert [m.role for m in answer] == ["system", "user", "user"] and answer[1] == QUESTION
    assert answer[0].content.count("let your personality come through.") == 1
    assert "CONTENT-7" in answer[2].content and "CONTENT-3" not in answer[2].content, "one memory"
    assert "I am a fan of extreme sports" in answer[2].content, "the traits, as the original placed them"


def test_the_answering_message_of_the_default_macm_is_unchanged() -> None:
    chat = RecordingChat(_answer)
    build_simulacrum("macm", chat, CARD, memory=MEMORY, options=MethodOptions(page_tokens=2000),
                     embedder=WordEmbedder()).respond([SCENE, QUESTION], GenerationConfig())  # fmt: skip
    answer = max(chat.calls, key=lambda c: c.start).messages
    assert [m.role for m in answer] == ["system", "user"] and isinstance(answer[1], ChatMessage)
