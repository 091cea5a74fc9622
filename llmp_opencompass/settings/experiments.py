"""The variables of the bandwagon, Jung and observer configs, read once at config parse time.
The endpoint, data and run variables are those of :mod:`.run` and :mod:`.connection`.

| variable | meaning | default |
|---|---|---|
| ``LLMP_METHODS`` | comma-separated simulacrum methods, e.g. ``prompt,macm`` | all (blank, prompt, rag, macm) |
| ``LLMP_BANDWAGON_SESSIONS`` | sessions per (method, character, condition), each with its own seed | 1 |
| ``LLMP_JUNG_RATIO`` | share of the 10 statements per function and level asked (0.1 to 1) | 1.0 (640 items) |
| ``LLMP_OPEN_ENDED_DIR`` | directory of your own ``<Name>/Open-Ended.json`` item files | none |
| ``LLMP_JUDGE_MODEL`` | served model of the LLM judge; unset: answers are only collected | none |
| ``LLMP_JUDGE_BASE_URL`` | the judge's base URL | ``OPENAI_BASE_URL`` |
| ``LLMP_JUDGE_API_KEY`` | the judge's API key, read per request; if unset, ``OPENAI_API_KEY`` | |
| ``LLMP_JUDGE_MAX_TOKENS`` | max tokens of a judge reply | 256 |
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError
from ..llm.openai_chat import OPENAI_DEFAULT_URL
from ..simulacra.factory import METHODS
from . import env as read
from .run import methods_from_environment

__all__ = ["BandwagonSettings", "JudgeSettings", "ObserverSettings"]


@dataclass(frozen=True)
class BandwagonSettings:
    """The bandwagon's own settings."""

    methods: tuple[str, ...] = METHODS
    """Simulacrum methods, one summary column each."""
    sessions: int = 1
    """Sessions per (method, character, condition)."""

    @classmethod
    def from_environment(cls, env: Mapping[str, str]) -> BandwagonSettings:
        """Read ``LLMP_METHODS`` and ``LLMP_BANDWAGON_SESSIONS``."""
        return cls(methods_from_environment(env), read.integer(env, "LLMP_BANDWAGON_SESSIONS", 1, minimum=1))


@dataclass(frozen=True)
class JudgeSettings:
    """Where the LLM judge is; the key's *variable name* only, never the key."""

    model: str
    """Served model name (``LLMP_JUDGE_MODEL``)."""
    base_url: str
    """Base URL ending in ``/v1``."""
    api_key_env: str = "OPENAI_API_KEY"
    """Variable read for the API key at request time."""
    max_tokens: int = 256
    """Max tokens of one judge reply."""


@dataclass(frozen=True)
class ObserverSettings:
    """What the Jung and observer builders read beyond the run settings."""

    methods: tuple[str, ...]
    """Simulacrum methods to run, one summary column each."""
    jung_ratio: float = 1.0
    """Share of each level's 10 statements asked in the Jung test."""
    open_ended_dir: Path | None = None
    """The user's directory of Open-Ended item files."""
    judge: JudgeSettings | None = None
    """The LLM judge, or None to only collect answers."""

    @classmethod
    def from_environment(cls, env: Mapping[str, str], methods: Sequence[str] | None = None) -> ObserverSettings:
        """Read the variables in the module docstring; ``methods`` overrides ``LLMP_METHODS``."""
        items_dir = read.path(env, "LLMP_OPEN_ENDED_DIR")
        if items_dir is not None and not items_dir.is_dir():
            raise ConfigError(
                f"LLMP_OPEN_ENDED_DIR={str(items_dir)!r} is not a directory (expected <Name>/Open-Ended.json)"
            )
        return cls(
            methods=tuple(methods) if methods else methods_from_environment(env),
            jung_ratio=_ratio(env),
            open_ended_dir=items_dir.resolve() if items_dir else None,
            judge=_judge(env),
        )


def _ratio(env: Mapping[str, str]) -> float:
    try:
        return read.number(env, "LLMP_JUNG_RATIO", 1.0, minimum=0.0)
    except ConfigError as exc:
        raise ConfigError(f"{exc}; use e.g. 0.4 (256 items) or 1 (640)") from None


def _judge(env: Mapping[str, str]) -> JudgeSettings | None:
    model = read.text(env, "LLMP_JUDGE_MODEL")
    if not model:
        return None
    return JudgeSettings(
        model=model,
        base_url=read.url(env, "LLMP_JUDGE_BASE_URL", read.url(env, "OPENAI_BASE_URL", OPENAI_DEFAULT_URL)),
        api_key_env="LLMP_JUDGE_API_KEY" if env.get("LLMP_JUDGE_API_KEY") else "OPENAI_API_KEY",
        max_tokens=read.integer(env, "LLMP_JUDGE_MAX_TOKENS", 256, minimum=1),
    )
