"""``macm``: the Multi-Agent Cognitive Mechanism answering a question in two rounds.

Round 1, concurrently: the memory agent's retrieval (one call per page of summaries,
or a vector search), the thinking agent (momentary thoughts) and the emotion agent
(momentary feelings). Round 2: the top agent's answer call, whose system message
holds the persona, the scene, the retrieved memories (content, thinking and emotion
of each), the thoughts and the feelings. With two pages that is 5 calls in 2
sequential rounds; the original made the same 5 calls one after another.

Agents may talk to a different model than the one that answers (``agent_chat``), as
in the paper where the agents ran on one model and the evaluated model answered.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Literal

from ...data.records import Character, MemoryEntry
from ...llm.types import ChatMessage, ChatModel, GenerationConfig, Usage, merge_system_messages
from ...prompts import render
from ..base import SimulacrumReply, Stimulus
from ..options import MethodOptions
from ..persona import persona_prompt, traits_list
from .agents import EmotionAgent, ThinkingAgent
from .retrieval import MemoryRetriever

__all__ = ["MacmSimulacrum", "compose_context", "ROUNDS"]

ROUNDS = 2
"""Sequential rounds of calls per answer."""


def compose_context(
    memories: Sequence[MemoryEntry], thoughts: str, feelings: str, *, traits: str | None = None
) -> str:
    """The top agent's addition to the conversation: for the system message, or (with ``traits``,
    the paper protocol) for a user message after the question, as the original placed it."""
    items = [
        render("macm_memory_item", number=i, content=m.content.strip(), thinking=m.thinking.strip(),
               emotion=m.emotion.strip())
        for i, m in enumerate(memories, start=1)
    ]  # fmt: skip
    section = "\n\n".join(items) if items else render("macm_no_memory")
    if traits is not None:
        return render("macm_context_paper", memories=section, thoughts=thoughts.strip(),
                      feelings=feelings.strip(), personality_traits=traits)  # fmt: skip
    return render("macm_context", memories=section, thoughts=thoughts.strip(), feelings=feelings.strip())


class MacmSimulacrum:
    """Memory, thinking and emotion agents, then the top agent's answer."""

    method = "macm"

    def __init__(
        self,
        chat: ChatModel,
        character: Character,
        retriever: MemoryRetriever,
        *,
        agent_chat: ChatModel | None = None,
        agent_max_tokens: int = MethodOptions.agent_max_tokens,
        persona: str | None = None,
        context: Literal["system", "user"] = "system",
    ) -> None:
        self.chat = chat
        self.context = context
        self.character = character
        self.retriever = retriever
        self.agent_max_tokens = agent_max_tokens
        agents = agent_chat or chat
        self.thinking = ThinkingAgent(agents, character)
        self.emotion = EmotionAgent(agents, character)
        self._persona = ChatMessage("system", persona or persona_prompt(character))

    def respond(
        self, conversation: Sequence[ChatMessage], config: GenerationConfig, stimulus: Stimulus | None = None
    ) -> SimulacrumReply:
        """Round 1 (retrieval, thinking and emotion, each given the stimulus: the question with
        its options) concurrently, then the answer."""
        query = (stimulus or Stimulus.of(conversation)).query
        agent_config = replace(config, temperature=0.0, max_tokens=self.agent_max_tokens)
        jobs = self.retriever.jobs(query, agent_config)
        with ThreadPoolExecutor(max_workers=len(jobs) + 2, thread_name_prefix="macm") as pool:
            rankings = [pool.submit(job) for job in jobs]
            thoughts = pool.submit(self.thinking.thoughts_now, query, agent_config)
            feelings = pool.submit(self.emotion.feelings_now, query, agent_config)
            ranked = [future.result() for future in rankings]
            thought, feeling = thoughts.result(), feelings.result()
        memories = self.retriever.select(ranked)
        if self.context == "user":  # the original: a user message after the question, with the traits
            context = compose_context(memories, thought.text, feeling.text, traits=traits_list(self.character))
            messages = (*merge_system_messages([self._persona, *conversation]), ChatMessage("user", context))
        else:
            context = compose_context(memories, thought.text, feeling.text)
            messages = merge_system_messages([self._persona, *conversation, ChatMessage("system", context)])
        answer = self.chat.complete(messages, config)
        usage = sum((r.usage for r in ranked), Usage()) + thought.usage + feeling.usage + answer.usage
        return SimulacrumReply(answer.text, usage, rounds=ROUNDS, finish_reason=answer.finish_reason)
