"""Every prompt text of the package, as template files in the project's own words.

A template is a ``.txt`` file beside this module with ``{field}`` placeholders;
:func:`render` fills them and refuses missing or unknown fields.
"""

from __future__ import annotations

import string
from functools import cache
from importlib import resources

__all__ = ["template", "render", "fields"]


@cache
def template(template_name: str) -> str:
    """The raw text of a template (file ``<template_name>.txt``), trailing newline removed."""
    path = resources.files(__name__) / f"{template_name}.txt"
    if not path.is_file():
        raise FileNotFoundError(f"no prompt template {template_name!r} in {__name__}")
    return path.read_text(encoding="utf-8").rstrip("\n")


def fields(template_name: str) -> frozenset[str]:
    """The placeholder names used by a template."""
    return frozenset(f for _, f, _, _ in string.Formatter().parse(template(template_name)) if f)


def render(template_name: str, /, **values: object) -> str:
    """Fill a template; every placeholder must be given, and nothing else."""
    wanted = fields(template_name)
    missing, unknown = wanted - values.keys(), values.keys() - wanted
    if missing or unknown:
        raise KeyError(f"template {template_name!r}: missing {sorted(missing)}, unexpected {sorted(unknown)}")
    return template(template_name).format(**values)
