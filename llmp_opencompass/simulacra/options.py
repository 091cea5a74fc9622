"""Options of the simulacrum methods (the persona, RAG and MACM): the one source of their defaults,
read by the settings, ``SimulacrumModel``, the drop-in RAG dataset and the CLI."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ..errors import ConfigError
from ..llm.openai_chat import OPENAI_DEFAULT_URL
from ..retrieval import DEFAULT_RETRIEVER, MINILM, RETRIEVERS, ChunkingConfig, Retriever

__all__ = ["MethodOptions", "Retrieval", "RETRIEVALS"]

Retrieval = Literal["llm", "embedding"]
RETRIEVALS: tuple[str, ...] = ("llm", "embedding")


@dataclass(frozen=True)
class MethodOptions:
    """Knobs of RAG and MACM; blank and prompt ignore them."""

    rag_k: int = 3
    """RAG: story passages retrieved per question."""
    chunking: ChunkingConfig = field(default_factory=ChunkingConfig)
    """RAG: how the story is cut into passages (512 characters, 32 overlap)."""
    retriever: Retriever = DEFAULT_RETRIEVER
    """RAG and MACM ``embedding`` retrieval: ``dense``, ``bm25`` or ``hybrid`` (see ``retrieval.search``)."""
    embedder: str = MINILM
    """Embedder spec of the dense and hybrid retrievers: ``minilm`` (local) or ``openai:<model>``."""
    embedding_base_url: str = OPENAI_DEFAULT_URL
    """Base URL of the ``openai:<model>`` embedder."""
    retrieval: Retrieval = "llm"
    """MACM: ``llm`` (an LLM reads the memory summaries) or ``embedding`` (vector search)."""
    memory_k: int = 2
    """MACM: long-term memories kept per question."""
    page_tokens: int = 3000
    """MACM ``llm`` retrieval: estimated tokens of summaries per call (characters / 4)."""
    agent_max_tokens: int = 128
    """MACM: max tokens of each agent's reply (thoughts, feelings, memory ids)."""
    persona_closing: bool = False
    """The persona ends with the original's closing request (the paper protocol)."""
    macm_context: Literal["system", "user"] = "system"
    """MACM: memories, thoughts and feelings in the system message, or (the paper protocol) in a
    user message after the question, as the original placed them."""
    index_cache_dir: Path | None = None
    """Where vector indexes are cached; None keeps them in memory."""

    def __post_init__(self) -> None:
        if self.retriever not in RETRIEVERS:
            raise ConfigError(f"unknown retriever {self.retriever!r}; valid: {', '.join(RETRIEVERS)}")
        if self.macm_context not in ("system", "user"):
            raise ConfigError(f"macm_context must be 'system' or 'user', got {self.macm_context!r}")
        if self.retrieval not in RETRIEVALS:
            raise ConfigError(f"unknown MACM retrieval {self.retrieval!r}; valid: {', '.join(RETRIEVALS)}")
        for name in ("rag_k", "memory_k", "page_tokens", "agent_max_tokens"):
            if getattr(self, name) < 1:
                raise ConfigError(f"{name} must be at least 1, got {getattr(self, name)}")
