"""Run settings read from the environment, once, at the edge (config parse time).

Where the data comes from (``LLMP_DATA_DIR``, ``LLMP_CACHE_DIR``, ``LLMP_DATA_VERIFY``)
is read by :class:`llmp_opencompass.data.locate.DataSettings`.

| variable | meaning | default |
|---|---|---|
| ``OPENAI_BASE_URL`` | OpenAI-compatible base URL, ending in ``/v1`` | OpenAI |
| ``LLMP_MODEL`` | the served model's name | required |
| ``OPENAI_API_KEY`` | API key, read per request (never here) | ``EMPTY`` |
| ``LLMP_CHARACTERS`` | comma-separated names (or slugs) to evaluate | all 11 |
| ``LLMP_TEMPERATURE`` | sampling temperature of the answering model | 0 |
| ``LLMP_MAX_OUT_LEN`` | max tokens per answer | 512 |
| ``LLMP_CONCURRENCY`` | requests in flight per task | 4 |
| ``LLMP_TASK_WORKERS`` | OpenCompass tasks run at once | 2 |
| ``LLMP_SHUFFLE`` | ``off`` keeps the upstream option order | on |
| ``LLMP_RAG_K`` | RAG: story passages per question | 3 |
| ``LLMP_CHUNK_SIZE`` / ``LLMP_CHUNK_OVERLAP`` | RAG: passage size and overlap, in characters | 512 / 32 |
| ``LLMP_EMBEDDER`` | ``minilm`` (local all-MiniLM-L6-v2) or ``openai:<model>`` | minilm |
| ``LLMP_EMBEDDING_BASE_URL`` | base URL of the ``openai:<model>`` embedder | ``OPENAI_BASE_URL`` |
| ``LLMP_RETRIEVAL`` | MACM memory retrieval: ``llm`` or ``embedding`` | llm |
| ``LLMP_MEMORY_K`` | MACM: memories kept per question | 2 |
| ``LLMP_MEMORY_PAGE_TOKENS`` | MACM ``llm`` retrieval: summary tokens per call | 3000 |
| ``LLMP_AGENT_MODEL`` | MACM agents' served model | ``LLMP_MODEL`` |
| ``LLMP_AGENT_BASE_URL`` | MACM agents' base URL (same API key variable) | ``OPENAI_BASE_URL`` |
| ``LLMP_AGENT_MAX_TOKENS`` | MACM: max tokens per agent reply | 128 |
| ``LLMP_INDEX_CACHE_DIR`` | where vector indexes are cached | ``<cache base>/indexes`` |
| ``LLMP_METHODS`` | methods of the bandwagon, Jung and observer configs | all four |
| ``LLMP_CACHE`` | ``off`` disables the persistent LLM call cache | on |
| ``LLMP_RETRIES`` | attempts per call on 429/5xx/timeouts/dropped connections | 6 |
| ``LLMP_RETRY_MAX_WAIT`` | longest wait between attempts, in seconds | 60 |
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..data.locate import default_cache_base
from ..errors import ConfigError
from ..llm.cache import cache_path
from ..llm.openai_chat import OPENAI_DEFAULT_URL
from ..retrieval import MINILM, ChunkingConfig
from ..simulacra.factory import METHODS, check_method
from ..simulacra.options import MethodOptions

__all__ = ["RunSettings", "methods_from_environment"]

_OFF = {"0", "off", "false", "no"}
_ON = {"1", "on", "true", "yes"}


@dataclass(frozen=True)
class RunSettings:
    """What a config builder needs to know about the run."""

    model: str
    """Served model name (``LLMP_MODEL``)."""
    base_url: str = OPENAI_DEFAULT_URL
    """Endpoint base URL (``OPENAI_BASE_URL``)."""
    characters: tuple[str, ...] = ()
    """Characters to evaluate; empty means all."""
    temperature: float = 0.0
    """Answering temperature."""
    max_out_len: int = 512
    """Max tokens per answer."""
    concurrency: int = 4
    """Requests in flight per task."""
    task_workers: int = 2
    """OpenCompass tasks run in parallel."""
    shuffle: bool = True
    """Shuffle choice options (seeded)."""
    agent_model: str = ""
    """MACM agents' served model; empty means ``model``."""
    agent_base_url: str = ""
    """MACM agents' base URL; empty means ``base_url``."""
    options: MethodOptions = field(default_factory=MethodOptions)
    """RAG and MACM options."""
    cache_path: str | None = None
    """SQLite file of the LLM call cache (``<cache base>/llm_calls.sqlite``); None when off."""
    retries: int = 6
    """Attempts per call for transient errors."""
    retry_max_wait: float = 60.0
    """Longest wait between attempts, in seconds."""

    @classmethod
    def from_environment(cls, env: Mapping[str, str]) -> RunSettings:
        """Read and validate the variables in the module docstring."""
        model = env.get("LLMP_MODEL", "").strip()
        base_url = env.get("OPENAI_BASE_URL", "").strip() or OPENAI_DEFAULT_URL
        if not model:
            raise ConfigError(
                "LLMP_MODEL is not set: set it to the model name your endpoint serves, e.g. "
                "OPENAI_BASE_URL=http://127.0.0.1:8000/v1 LLMP_MODEL=llama-2-7b-chat (or LLMP_MODEL=gpt-4o-mini "
                "with OPENAI_API_KEY for OpenAI); `make demo` sets both for the embedded model"
            )
        return cls(
            model=model,
            base_url=base_url,
            characters=_characters(env),
            temperature=_number(env, "LLMP_TEMPERATURE", 0.0, float, minimum=0.0),
            max_out_len=_number(env, "LLMP_MAX_OUT_LEN", 512, int, minimum=1),
            concurrency=_number(env, "LLMP_CONCURRENCY", 4, int, minimum=1),
            task_workers=_number(env, "LLMP_TASK_WORKERS", 2, int, minimum=1),
            shuffle=_flag(env, "LLMP_SHUFFLE", True),
            agent_model=env.get("LLMP_AGENT_MODEL", "").strip(),
            agent_base_url=env.get("LLMP_AGENT_BASE_URL", "").strip(),
            options=_method_options(env, base_url),
            cache_path=_cache_file(env),
            retries=_number(env, "LLMP_RETRIES", 6, int, minimum=1),
            retry_max_wait=_number(env, "LLMP_RETRY_MAX_WAIT", 60.0, float, minimum=0.0),
        )


def _cache_file(env: Mapping[str, str]) -> str | None:
    path = cache_path(env, default_cache_base(env))
    return str(path) if path is not None else None


def _method_options(env: Mapping[str, str], base_url: str) -> MethodOptions:
    size = _number(env, "LLMP_CHUNK_SIZE", 512, int, minimum=1)
    overlap = _number(env, "LLMP_CHUNK_OVERLAP", 32, int, minimum=0)
    if overlap >= size:
        raise ConfigError(f"LLMP_CHUNK_OVERLAP={overlap} must be smaller than LLMP_CHUNK_SIZE={size}")
    cache = env.get("LLMP_INDEX_CACHE_DIR", "").strip()
    return MethodOptions(
        rag_k=_number(env, "LLMP_RAG_K", 3, int, minimum=1),
        chunking=ChunkingConfig(size, overlap),
        embedder=env.get("LLMP_EMBEDDER", "").strip() or MINILM,
        embedding_base_url=env.get("LLMP_EMBEDDING_BASE_URL", "").strip() or base_url,
        retrieval=env.get("LLMP_RETRIEVAL", "").strip().lower() or "llm",  # type: ignore[arg-type]
        memory_k=_number(env, "LLMP_MEMORY_K", 2, int, minimum=1),
        page_tokens=_number(env, "LLMP_MEMORY_PAGE_TOKENS", 3000, int, minimum=100),
        agent_max_tokens=_number(env, "LLMP_AGENT_MAX_TOKENS", 128, int, minimum=1),
        index_cache_dir=Path(cache).expanduser() if cache else default_cache_base(env) / "indexes",
    )


def _characters(env: Mapping[str, str]) -> tuple[str, ...]:
    if "LLMP_CHARACTERS" not in env:
        return ()
    names = tuple(n.strip() for n in env["LLMP_CHARACTERS"].split(",") if n.strip())
    if not names:
        raise ConfigError(
            "LLMP_CHARACTERS is set but names no character; unset it to evaluate all 11, "
            'or list names like LLMP_CHARACTERS="Mary Jones,Robert Scott"'
        )
    return names


def _number(env: Mapping[str, str], name: str, default: float, kind: type, minimum: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = kind(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a valid {kind.__name__}") from None
    if value < minimum:
        raise ConfigError(f"{name}={raw!r} must be at least {minimum}")
    return value


def _flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in _OFF | _ON:
        return raw in _ON
    raise ConfigError(f"{name}={raw!r}: use on or off")


def methods_from_environment(env: Mapping[str, str]) -> tuple[str, ...]:
    """``LLMP_METHODS`` as validated method names; all methods when unset."""
    raw = env.get("LLMP_METHODS", "").strip()
    if not raw:
        return METHODS
    methods = tuple(dict.fromkeys(m.strip().lower() for m in raw.split(",") if m.strip()))
    try:
        return tuple(check_method(m) for m in methods)
    except ConfigError as exc:
        raise ConfigError(f"LLMP_METHODS={raw!r}: {exc}") from None
