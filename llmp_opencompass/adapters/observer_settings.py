"""Environment variables of the observer-report configs (``llmp_jung.py``, ``llmp_observer.py``),
read once at config parse time. The endpoint, data and run variables are those of
:mod:`.settings` (``OPENAI_BASE_URL``, ``LLMP_MODEL``, ``LLMP_CHARACTERS``, ...).

| variable | meaning | default |
|---|---|---|
| ``LLMP_METHODS`` | comma-separated simulacrum methods, e.g. ``prompt,macm`` | all (blank, prompt, rag, macm) |
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
from .settings import methods_from_environment

__all__ = ["JudgeSettings", "ObserverSettings"]


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
        items_dir = env.get("LLMP_OPEN_ENDED_DIR", "").strip()
        if items_dir and not Path(items_dir).expanduser().is_dir():
            raise ConfigError(f"LLMP_OPEN_ENDED_DIR={items_dir!r} is not a directory (expected <Name>/Open-Ended.json)")
        return cls(
            methods=tuple(methods) if methods else methods_from_environment(env),
            jung_ratio=_ratio(env.get("LLMP_JUNG_RATIO", "").strip()),
            open_ended_dir=Path(items_dir).expanduser().resolve() if items_dir else None,
            judge=_judge(env),
        )


def _ratio(raw: str) -> float:
    if not raw:
        return 1.0
    try:
        return float(raw)
    except ValueError:
        raise ConfigError(f"LLMP_JUNG_RATIO={raw!r} is not a number; use e.g. 0.4 (256 items) or 1 (640)") from None


def _judge(env: Mapping[str, str]) -> JudgeSettings | None:
    model = env.get("LLMP_JUDGE_MODEL", "").strip()
    if not model:
        return None
    raw_tokens = env.get("LLMP_JUDGE_MAX_TOKENS", "").strip() or "256"
    if not raw_tokens.isdigit() or int(raw_tokens) < 1:
        raise ConfigError(f"LLMP_JUDGE_MAX_TOKENS={raw_tokens!r} must be a positive integer")
    base_url = env.get("LLMP_JUDGE_BASE_URL", "").strip() or env.get("OPENAI_BASE_URL", "").strip()
    return JudgeSettings(
        model=model,
        base_url=base_url or OPENAI_DEFAULT_URL,
        api_key_env="LLMP_JUDGE_API_KEY" if env.get("LLMP_JUDGE_API_KEY") else "OPENAI_API_KEY",
        max_tokens=int(raw_tokens),
    )
