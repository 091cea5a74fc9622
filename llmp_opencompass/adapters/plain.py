"""Typed options to and from the plain values of an OpenCompass config.

OpenCompass dumps every config into its work directory and rebuilds the objects in
task subprocesses, so a config holds only plain values (dicts, lists, strings,
numbers). The builders turn the core's frozen option records into such dicts with
:func:`to_plain`; the classes that receive them rebuild the records with
:func:`from_plain`, which refuses an unknown key by naming it and the valid ones.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

from ..errors import ConfigError

__all__ = ["from_plain", "to_plain"]

_T = TypeVar("_T")


def to_plain(record: object) -> dict[str, Any]:
    """A dataclass record as a dict of plain values (nested records become dicts, paths strings)."""
    if not dataclasses.is_dataclass(record) or isinstance(record, type):
        raise TypeError(f"expected a dataclass record, got {type(record).__name__}")
    return {f.name: _plain(getattr(record, f.name)) for f in dataclasses.fields(record)}


def from_plain(cls: type[_T], values: Mapping[str, Any] | None, *, where: str) -> _T:
    """``cls`` rebuilt from ``values`` (missing keys take the defaults).

    Raises:
        ConfigError: a key ``cls`` does not have, or a value its checks refuse; the message
            starts with ``where`` (e.g. "SimulacrumModel option 'options'").
    """
    values = dict(values or {})
    fields = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    unknown = sorted(set(values) - set(fields))
    if unknown:
        raise ConfigError(f"{where}: unknown keys {unknown}; valid keys: {', '.join(fields)}")
    hints = typing.get_type_hints(cls)
    kwargs = {name: _typed(hints[name], value, where=f"{where}.{name}") for name, value in values.items()}
    try:
        return cls(**kwargs)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{where}: {exc}") from None


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return to_plain(value)
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def _typed(hint: Any, value: Any, *, where: str) -> Any:
    options = typing.get_args(hint) if typing.get_origin(hint) in (typing.Union, type(int | str)) else (hint,)
    if value is None:
        return None
    for option in options:
        if dataclasses.is_dataclass(option) and isinstance(value, Mapping):
            return from_plain(option, value, where=where)
        if option is Path and isinstance(value, str):
            return Path(value)
        if typing.get_origin(option) is tuple and isinstance(value, list):
            return tuple(value)
    return value
