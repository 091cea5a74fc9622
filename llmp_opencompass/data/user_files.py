"""A character given as files by the user: a card (JSON) and a life story (text).

``llmp-opencompass memory build --card --story`` and ``chat --card --story`` read them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from ..errors import ConfigError, MalformedDataFileError
from .records import Character, Story

__all__ = ["load_card", "load_story"]


def load_card(path: Path, name: str) -> Character:
    """The card named ``name`` from a JSON file holding one card or a list of cards."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise MalformedDataFileError(f"{path}: cannot read the character card: {exc}") from exc
    cards = data if isinstance(data, list) else [data]
    for card in cards:
        if isinstance(card, Mapping) and str(card.get("Name", "")).strip().lower() == name.strip().lower():
            try:
                return Character.from_card(card)
            except (KeyError, TypeError) as exc:
                raise MalformedDataFileError(f"{path}: card of {name!r}: missing or wrong field {exc}") from exc
    raise ConfigError(f"{path} holds no card with Name {name!r}")


def load_story(path: Path, name: str) -> Story:
    """A life story file: one paragraph per non-empty line."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read the story {path}: {exc}") from exc
    paragraphs = tuple(line.strip() for line in text.splitlines() if line.strip())
    if not paragraphs:
        raise ConfigError(f"the story {path} is empty")
    return Story(character=name, paragraphs=paragraphs)
