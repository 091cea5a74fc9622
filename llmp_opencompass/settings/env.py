"""How a variable of the environment is read: the one parser of every setting.

Every reader takes the environment as a mapping (``os.environ`` at the edges, a plain
dict in tests) and the variable's name, so that its error can name the variable and
what it accepts. Unset and blank mean "use the default".
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path

from ..errors import ConfigError
from ..llm.urls import base_url_problem

__all__ = ["ON_WORDS", "OFF_WORDS", "integer", "names", "number", "path", "switch", "text", "url"]

ON_WORDS = frozenset({"1", "on", "true", "yes"})
OFF_WORDS = frozenset({"0", "off", "false", "no"})


def text(env: Mapping[str, str], name: str, default: str = "") -> str:
    """The stripped value, or ``default`` when unset or blank."""
    return env.get(name, "").strip() or default


def switch(env: Mapping[str, str], name: str, default: bool) -> bool:
    """``on``/``off`` (also 1/0, true/false, yes/no, any case)."""
    raw = text(env, name).lower()
    if not raw:
        return default
    if raw in ON_WORDS | OFF_WORDS:
        return raw in ON_WORDS
    raise ConfigError(f"{name}={raw!r}: use on or off")


def integer(env: Mapping[str, str], name: str, default: int, *, minimum: int) -> int:
    """A whole number of at least ``minimum``."""
    raw = text(env, name)
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a whole number") from None
    if value < minimum:
        raise ConfigError(f"{name}={raw!r} must be at least {minimum}")
    return value


def number(env: Mapping[str, str], name: str, default: float, *, minimum: float, maximum: float = math.inf) -> float:
    """A finite number between ``minimum`` and ``maximum`` (nan and inf are refused)."""
    raw = text(env, name)
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a number") from None
    if not math.isfinite(value):
        raise ConfigError(f"{name}={raw!r} must be a finite number")
    if value < minimum or value > maximum:
        bounds = f"at least {minimum}" if math.isinf(maximum) else f"between {minimum} and {maximum}"
        raise ConfigError(f"{name}={raw!r} must be {bounds}")
    return value


def names(env: Mapping[str, str], name: str) -> tuple[str, ...] | None:
    """A comma-separated list (blanks dropped); None when the variable is unset."""
    if name not in env:
        return None
    return tuple(part.strip() for part in env[name].split(",") if part.strip())


def path(env: Mapping[str, str], name: str) -> Path | None:
    """A path with ``~`` expanded; None when unset or blank."""
    raw = text(env, name)
    return Path(raw).expanduser() if raw else None


def url(env: Mapping[str, str], name: str, default: str) -> str:
    """An ``http(s)://`` base URL with a host; ``default`` when unset or blank."""
    value = text(env, name, default)
    problem = base_url_problem(value)
    if problem:
        raise ConfigError(f"{name}={value!r} {problem}")
    return value
