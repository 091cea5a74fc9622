"""RAG: one call per question, the closest story passages in the one system message."""

from __future__ import annotations

from pathlib import Path

from llmp_opencompass.data.records import Story
from llmp_opencompass.llm import ChatMessage, GenerationConfig
from llmp_opencompass.retrieval import ChunkingConfig
from llmp_opencompass.simulacra import MethodOptions, RagSimulacrum, Stimulus, build_simulacrum
from tests.support.cards import CARD
from tests.support.fakes import RecordingChat, WordEmbedder

STORY = Story(
    "Mary Jones",
    (
        "Mary grew up in a small apartment in East Town with her parents.",
        "At school Mary loved biology and spent her weekends rock climbing.",
        "Mary became a forestry worker and plants seedlings in the national forest.",
        "Her dog Rex follows her along the trails every morning.",
    ),
)
QUESTION = ChatMessage("user", "What is your job?\nA. forestry worker planting seedlings\nB. chef")
SCENE = ChatMessage("system", "You are chatting with Alice.")


def _rag(chat: RecordingChat, tmp_path: Path | None = None, k: int = 2, retriever: str = "tfidf") -> RagSimulacrum:
    options = MethodOptions(rag_k=k, chunking=ChunkingConfig(80, 0), index_cache_dir=tmp_path,
                            retriever=retriever)  # type: ignore[arg-type]  # fmt: skip
    simulacrum = build_simulacrum("rag", chat, CARD, story=STORY, options=options, embedder=WordEmbedder())
    assert isinstance(simulacrum, RagSimulacrum)
    return simulacrum


def test_rag_makes_one_call_with_persona_scene_and_passages_in_one_system_message() -> None:
    chat = RecordingChat()
    reply = _rag(chat).respond([SCENE, QUESTION], GenerationConfig())
    assert reply.text == "The answer is A." and reply.usage.calls == 1 and reply.rounds == 1
    (call,) = chat.calls
    system, user = call.messages
    assert system.role == "system" and user == QUESTION  # the question once, not twice
    assert system.content.startswith("You are Mary Jones")
    assert "You are chatting with Alice." in system.content
    assert "forestry worker and plants seedlings" in system.content
    assert system.content.index("You are chatting with Alice.") < system.content.index("<<<")


def test_rag_retrieves_k_passages_in_story_order() -> None:
    simulacrum = _rag(RecordingChat(), k=2)
    passages = simulacrum.passages("Rex the dog and the forestry trails")
    assert len(passages) == 2
    assert passages == tuple(sorted(passages, key=STORY.text.index))
    assert any("Rex" in p for p in passages)


def test_rag_dense_index_is_cached_on_disk(tmp_path: Path) -> None:
    _rag(RecordingChat(), tmp_path, retriever="dense").respond([SCENE, QUESTION], GenerationConfig())
    assert len(list(tmp_path.glob("*.npz"))) == 1
    embedder = WordEmbedder()
    options = MethodOptions(chunking=ChunkingConfig(80, 0), index_cache_dir=tmp_path, retriever="dense")
    build_simulacrum("rag", RecordingChat(), CARD, story=STORY, options=options, embedder=embedder).respond(
        [SCENE, QUESTION], GenerationConfig()
    )
    assert embedder.calls == [1], "only the query is embedded; the passages come from the cache"


def test_rag_queries_with_the_stimulus_and_answers_the_whole_message() -> None:
    class Recorder:
        def __init__(self) -> None:
            self.queries: list[str] = []

        def passages(self, query: str) -> tuple[str, ...]:
            self.queries.append(query)
            return ("Mary plants seedlings.",)

    chat, retriever = RecordingChat(), Recorder()
    framed = ChatMessage("user", "Alice: one question.\nWhat is your job?\nA. forester\nB. chef\nSay 'The answer is'.")
    stimulus = Stimulus("What is your job?", ("forester", "chef"))
    RagSimulacrum(chat, CARD, retriever).respond([SCENE, framed], GenerationConfig(), stimulus)  # type: ignore[arg-type]
    assert retriever.queries == ["What is your job?\nA. forester\nB. chef"]
    assert chat.calls[0].messages[-1] == framed
    RagSimulacrum(chat, CARD, retriever).respond([SCENE, framed], GenerationConfig())  # type: ignore[arg-type]
    assert retriever.queries[-1] == framed.content, "without a stimulus the whole message is the query (chat)"
