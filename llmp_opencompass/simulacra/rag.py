"""``rag``: the persona plus the passages of the character's life story closest to the question.

The story (the ``.txt`` file) is cut into chunks (512 characters, 32 overlap by
default) and searched by :class:`~llmp_opencompass.retrieval.StoryPassages`, the same
retrieval as the drop-in RAG dataset's. For each question, the ``k`` passages most
similar to the stimulus (the question with its options, not the scene or the answer
format, as in the original) are put into the system message as the character's own
memories, in story order. One chat call per
question: the original sent the question twice.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..data.records import Character
from ..llm.types import ChatMessage, ChatModel, GenerationConfig, merge_system_messages
from ..prompts import render
from ..retrieval import StoryPassages
from .base import SimulacrumReply, Stimulus
from .persona import persona_prompt

__all__ = ["RagSimulacrum"]


class RagSimulacrum:
    """Persona + retrieved story passages + the conversation; one call per answer."""

    method = "rag"

    def __init__(
        self, chat: ChatModel, character: Character, retriever: StoryPassages, *, persona: str | None = None
    ) -> None:
        self.chat = chat
        self.character = character
        self.retriever = retriever
        self._persona = ChatMessage("system", persona or persona_prompt(character))

    def passages(self, query: str) -> tuple[str, ...]:
        """The ``k`` passages closest to ``query``, in story order."""
        return self.retriever.passages(query)

    def respond(
        self, conversation: Sequence[ChatMessage], config: GenerationConfig, stimulus: Stimulus | None = None
    ) -> SimulacrumReply:
        """One chat call: persona, scene and the passages retrieved for the stimulus (the question
        with its options) as one system message, then the conversation."""
        query = (stimulus or Stimulus.of(conversation)).query
        memories = render("rag_memories", passages="\n\n".join(self.passages(query)))
        messages = merge_system_messages([self._persona, *conversation, ChatMessage("system", memories)])
        response = self.chat.complete(messages, config)
        return SimulacrumReply(response.text, response.usage, finish_reason=response.finish_reason)
