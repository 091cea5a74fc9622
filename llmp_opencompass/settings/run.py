"""What a config builder reads from the environment, once, at config parse time.

Where the data comes from is read by :mod:`.data`, the connection (retries, cache,
call limit) by :mod:`.connection`, the caches' directories by :mod:`.locations`.

| variable | meaning | default |
|---|---|---|
| ``LLMP_PROTOCOL`` | ``llmp`` (this package's defaults) or ``paper`` (the original study's settings) | llmp |
| ``LLMP_CHARACTERS`` | comma-separated names (or slugs) to evaluate | all 11 (and the extra characters) |
| ``LLMP_TEMPERATURE`` | sampling temperature of the answering model | the protocol's (0; paper 0.7) |
| ``LLMP_MAX_OUT_LEN`` | max tokens per answer | the protocol's (512; paper 1024) |
| ``LLMP_REPEATS`` | self-report: times every item is asked (repeat r: seed r, its own option order) | 1 |
| ``LLMP_TASK_WORKERS`` | OpenCompass tasks run at once | 2 |
| ``LLMP_SHUFFLE`` | ``off`` keeps the upstream option order | the protocol's (on; paper off) |
| ``LLMP_RAG_K`` | RAG: story passages per question | 3 |
| ``LLMP_CHUNK_SIZE`` / ``LLMP_CHUNK_OVERLAP`` | RAG: passage size and overlap, in characters | 512 / 32 |
| ``LLMP_RETRIEVER`` | RAG and MACM ``embedding`` retrieval: ``dense``, ``bm25`` or ``hybrid`` | see ``MethodOptions`` |
| ``LLMP_EMBEDDER`` | ``minilm`` (local all-MiniLM-L6-v2) or ``openai:<model>`` | minilm |
| ``LLMP_EMBEDDING_BASE_URL`` | base URL of the ``openai:<model>`` embedder | ``OPENAI_BASE_URL`` |
| ``LLMP_RETRIEVAL`` | MACM memory retrieval: ``llm`` or ``embedding`` | llm |
| ``LLMP_MEMORY_K`` | MACM: memories kept per question | 2 |
| ``LLMP_MEMORY_PAGE_TOKENS`` | MACM ``llm`` retrieval: summary tokens per call | 3000 |
| ``LLMP_AGENT_MAX_TOKENS`` | MACM: max tokens per agent reply | 128 |
| ``LLMP_METHODS`` | methods of the bandwagon, Jung and observer configs | all four |

The defaults of the RAG and MACM options are those of
:class:`~llmp_opencompass.simulacra.options.MethodOptions`, their one source, and of the
protocol (:mod:`llmp_opencompass.protocol`) where it sets them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..errors import ConfigError
from ..llm import OPENAI_DEFAULT_URL, ConnectOptions
from ..llm.types import DEFAULT_MAX_TOKENS, DEFAULT_TEMPERATURE
from ..protocol import PROTOCOLS, Protocol, get_protocol
from ..retrieval import ChunkingConfig
from ..simulacra.factory import METHODS, check_method
from ..simulacra.options import MethodOptions
from . import env as read
from .connection import agent_endpoint, answer_endpoint, connect_options
from .locations import index_cache_dir

__all__ = ["DEFAULT_TASK_WORKERS", "RunSettings", "methods_from_environment"]

DEFAULT_TASK_WORKERS = 2
_METHOD_DEFAULTS = MethodOptions()


@dataclass(frozen=True)
class RunSettings:
    """What a config builder needs to know about the run."""

    model: str
    """Served model name (``LLMP_MODEL``)."""
    base_url: str = OPENAI_DEFAULT_URL
    """Endpoint base URL (``OPENAI_BASE_URL``)."""
    characters: tuple[str, ...] = ()
    """Characters to evaluate; empty means all."""
    temperature: float = DEFAULT_TEMPERATURE
    """Answering temperature."""
    max_out_len: int = DEFAULT_MAX_TOKENS
    """Max tokens per answer."""
    protocol: Protocol = PROTOCOLS["llmp"]
    """The protocol whose defaults the other settings took (``LLMP_PROTOCOL``)."""
    repeats: int = 1
    """Self-report: times every item is asked."""
    task_workers: int = DEFAULT_TASK_WORKERS
    """OpenCompass tasks run in parallel."""
    shuffle: bool = True
    """Shuffle choice options (seeded)."""
    agent_model: str = ""
    """MACM agents' served model; empty means ``model``."""
    agent_base_url: str = ""
    """MACM agents' base URL; empty means ``base_url``."""
    options: MethodOptions = field(default_factory=MethodOptions)
    """RAG and MACM options."""
    connection: ConnectOptions = field(default_factory=ConnectOptions)
    """Retries, call cache and calls in flight per task."""

    @classmethod
    def from_environment(cls, env: Mapping[str, str]) -> RunSettings:
        """Read and validate the variables in the module docstring."""
        answering = answer_endpoint(env)
        agents = agent_endpoint(env, answering)
        protocol = get_protocol(read.text(env, "LLMP_PROTOCOL", "llmp"))
        return cls(
            model=answering.model,
            base_url=answering.base_url,
            characters=_characters(env),
            temperature=read.number(env, "LLMP_TEMPERATURE", protocol.temperature, minimum=0.0),
            max_out_len=read.integer(env, "LLMP_MAX_OUT_LEN", protocol.max_tokens, minimum=1),
            protocol=protocol,
            repeats=read.integer(env, "LLMP_REPEATS", 1, minimum=1),
            task_workers=read.integer(env, "LLMP_TASK_WORKERS", DEFAULT_TASK_WORKERS, minimum=1),
            shuffle=read.switch(env, "LLMP_SHUFFLE", protocol.shuffle),
            agent_model=agents.model if agents.model != answering.model else "",
            agent_base_url=agents.base_url if agents.base_url != answering.base_url else "",
            options=method_options(env, answering.base_url, protocol),
            connection=connect_options(env, this_process=False),
        )


def method_options(env: Mapping[str, str], base_url: str, protocol: Protocol = PROTOCOLS["llmp"]) -> MethodOptions:
    """The persona, RAG and MACM options (defaults: :class:`MethodOptions` and the protocol)."""
    defaults = _METHOD_DEFAULTS
    size = read.integer(env, "LLMP_CHUNK_SIZE", defaults.chunking.size, minimum=1)
    overlap = read.integer(env, "LLMP_CHUNK_OVERLAP", defaults.chunking.overlap, minimum=0)
    if overlap >= size:
        raise ConfigError(f"LLMP_CHUNK_OVERLAP={overlap} must be smaller than LLMP_CHUNK_SIZE={size}")
    return MethodOptions(
        rag_k=read.integer(env, "LLMP_RAG_K", defaults.rag_k, minimum=1),
        chunking=ChunkingConfig(size, overlap),
        retriever=read.text(env, "LLMP_RETRIEVER", protocol.retriever).lower(),  # type: ignore[arg-type]
        embedder=read.text(env, "LLMP_EMBEDDER", defaults.embedder),
        embedding_base_url=read.url(env, "LLMP_EMBEDDING_BASE_URL", base_url),
        retrieval=read.text(env, "LLMP_RETRIEVAL", defaults.retrieval).lower(),  # type: ignore[arg-type]
        memory_k=read.integer(env, "LLMP_MEMORY_K", protocol.memory_k, minimum=1),
        page_tokens=read.integer(env, "LLMP_MEMORY_PAGE_TOKENS", defaults.page_tokens, minimum=100),
        agent_max_tokens=read.integer(env, "LLMP_AGENT_MAX_TOKENS", defaults.agent_max_tokens, minimum=1),
        persona_closing=protocol.persona_closing,
        macm_context=protocol.macm_context,
        index_cache_dir=index_cache_dir(env),
    )


def _characters(env: Mapping[str, str]) -> tuple[str, ...]:
    names = read.names(env, "LLMP_CHARACTERS")
    if names is None:
        return ()
    if not names:
        raise ConfigError(
            "LLMP_CHARACTERS is set but names no character; unset it to evaluate all 11, "
            'or list names like LLMP_CHARACTERS="Mary Jones,Robert Scott"'
        )
    return names


def methods_from_environment(env: Mapping[str, str]) -> tuple[str, ...]:
    """``LLMP_METHODS`` as validated method names; all methods when unset."""
    raw = read.names(env, "LLMP_METHODS")
    if not raw:
        return METHODS
    methods = tuple(dict.fromkeys(m.lower() for m in raw))
    try:
        return tuple(check_method(m) for m in methods)
    except ConfigError as exc:
        raise ConfigError(f"LLMP_METHODS={env['LLMP_METHODS']!r}: {exc}") from None
