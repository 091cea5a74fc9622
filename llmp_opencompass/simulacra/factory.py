"""Build a simulacrum by method name."""

from __future__ import annotations

from ..data.records import Character, LongTermMemory, Story
from ..errors import ConfigError
from ..llm.types import ChatModel
from ..retrieval import Embedder, StoryPassages, build_embedder
from .base import Simulacrum
from .blank import BlankSimulacrum
from .macm import EmbeddingMemoryRetriever, LlmMemoryRetriever, MacmSimulacrum, MemoryRetriever
from .options import MethodOptions
from .persona import persona_prompt
from .prompt import PromptSimulacrum
from .rag import RagSimulacrum

__all__ = ["METHODS", "build_simulacrum", "check_method", "needs"]

METHODS: tuple[str, ...] = ("blank", "prompt", "rag", "macm")
"""The simulacrum methods, from the bare model to the full cognitive mechanism."""


def check_method(method: str) -> str:
    """Return ``method`` if known, else raise ``ConfigError`` listing the valid ones."""
    if method not in METHODS:
        raise ConfigError(f"unknown simulacrum method {method!r}; valid methods: {', '.join(METHODS)}")
    return method


def needs(method: str) -> frozenset[str]:
    """What a method needs besides the card: ``story`` (RAG) and/or ``memory`` (MACM)."""
    return {"rag": frozenset({"story"}), "macm": frozenset({"memory"})}.get(check_method(method), frozenset())


def build_simulacrum(
    method: str,
    chat: ChatModel,
    character: Character,
    *,
    story: Story | None = None,
    memory: LongTermMemory | None = None,
    options: MethodOptions | None = None,
    agent_chat: ChatModel | None = None,
    embedder: Embedder | None = None,
) -> Simulacrum:
    """The simulacrum of ``character`` for ``method``, answering through ``chat``.

    Args:
        story: the life story (RAG).
        memory: the long-term memory (MACM).
        options: RAG/MACM options (defaults otherwise).
        agent_chat: where MACM's agents send their calls (default: ``chat``).
        embedder: overrides the embedder named in ``options``.
    """
    check_method(method)
    options = options or MethodOptions()
    if method == "blank":
        return BlankSimulacrum(chat)
    persona = persona_prompt(character, closing=options.persona_closing)
    if method == "prompt":
        return PromptSimulacrum(chat, character, persona=persona)
    embedder = embedder or build_embedder(options.embedder, options.embedding_base_url)  # loads nothing yet
    if method == "rag":
        if story is None:
            raise ConfigError(f"the rag method needs the life story of {character.name}")
        passages = StoryPassages(
            story.text, embedder, k=options.rag_k, chunking=options.chunking, cache_dir=options.index_cache_dir,
            retriever=options.retriever,
        )  # fmt: skip
        return RagSimulacrum(chat, character, passages, persona=persona)
    if memory is None:
        raise ConfigError(
            f"the macm method needs the long-term memory of {character.name}; "
            f'build it with `llmp-opencompass memory build --character "{character.name}"`'
        )
    retriever: MemoryRetriever
    if options.retrieval == "embedding":
        retriever = EmbeddingMemoryRetriever(
            memory, embedder, k=options.memory_k, cache_dir=options.index_cache_dir, retriever=options.retriever
        )
    else:
        retriever = LlmMemoryRetriever(agent_chat or chat, memory, k=options.memory_k, page_tokens=options.page_tokens)
    return MacmSimulacrum(
        chat, character, retriever, agent_chat=agent_chat, agent_max_tokens=options.agent_max_tokens,
        persona=persona, context=options.macm_context,
    )  # fmt: skip
