"""``rag``: the persona plus the passages of the character's life story closest to the question.

The story (the ``.txt`` file) is cut into chunks (512 characters, 32 overlap by
default), embedded once per (story, chunking, embedder) and cached on disk. For each
question, the ``k`` passages most similar to the last user message (the question
with its options) are put into the system message as the character's own memories,
in story order. One chat call per question: the original sent the question twice.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

from ..data.records import Character, Story
from ..llm.types import ChatMessage, ChatModel, GenerationConfig, merge_system_messages
from ..prompts import render
from ..retrieval import ChunkingConfig, Embedder, VectorIndex, load_or_build, split_text
from .base import SimulacrumReply
from .conversation import last_user_message
from .persona import persona_prompt

__all__ = ["RagSimulacrum"]


class RagSimulacrum:
    """Persona + retrieved story passages + the conversation; one call per answer."""

    method = "rag"

    def __init__(
        self,
        chat: ChatModel,
        character: Character,
        story: Story,
        embedder: Embedder,
        *,
        k: int = 3,
        chunking: ChunkingConfig | None = None,
        cache_dir: Path | None = None,
    ) -> None:
        self.chat = chat
        self.character = character
        self.story = story
        self.embedder = embedder
        self.k = k
        self.chunking = chunking or ChunkingConfig()
        self.cache_dir = cache_dir
        self._persona = ChatMessage("system", persona_prompt(character))
        self._index: VectorIndex | None = None
        self._lock = threading.Lock()

    @property
    def index(self) -> VectorIndex:
        """The story's passage index, loaded (or embedded) on first use."""
        with self._lock:
            if self._index is None:
                passages = split_text(self.story.text, self.chunking)
                self._index = load_or_build(passages, self.embedder, self.cache_dir, self.chunking.id)
            return self._index

    def passages(self, query: str) -> tuple[str, ...]:
        """The ``k`` passages closest to ``query``, in story order."""
        hits = sorted(self.index.search_text(self.embedder, query, self.k), key=lambda hit: hit.position)
        return tuple(hit.text for hit in hits)

    def respond(self, conversation: Sequence[ChatMessage], config: GenerationConfig) -> SimulacrumReply:
        """One chat call: persona, scene and memories as one system message, then the conversation."""
        memories = render("rag_memories", passages="\n\n".join(self.passages(last_user_message(conversation))))
        messages = merge_system_messages([self._persona, *conversation, ChatMessage("system", memories)])
        response = self.chat.complete(messages, config)
        return SimulacrumReply(response.text, response.usage)
