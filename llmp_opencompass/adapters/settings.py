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
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..errors import ConfigError
from ..llm.openai_chat import OPENAI_DEFAULT_URL

__all__ = ["RunSettings"]

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

    @classmethod
    def from_environment(cls, env: Mapping[str, str]) -> RunSettings:
        """Read and validate the variables in the module docstring."""
        model = env.get("LLMP_MODEL", "").strip()
        if not model:
            raise ConfigError(
                "LLMP_MODEL is not set: set it to the model name your endpoint serves, e.g. "
                "OPENAI_BASE_URL=http://127.0.0.1:8000/v1 LLMP_MODEL=llama-2-7b-chat (or LLMP_MODEL=gpt-4o-mini "
                "with OPENAI_API_KEY for OpenAI); `make demo` sets both for the embedded model"
            )
        return cls(
            model=model,
            base_url=env.get("OPENAI_BASE_URL", "").strip() or OPENAI_DEFAULT_URL,
            characters=_characters(env),
            temperature=_number(env, "LLMP_TEMPERATURE", 0.0, float, minimum=0.0),
            max_out_len=_number(env, "LLMP_MAX_OUT_LEN", 512, int, minimum=1),
            concurrency=_number(env, "LLMP_CONCURRENCY", 4, int, minimum=1),
            task_workers=_number(env, "LLMP_TASK_WORKERS", 2, int, minimum=1),
            shuffle=_flag(env, "LLMP_SHUFFLE", True),
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
