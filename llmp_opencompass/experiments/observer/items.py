"""The Open-Ended (situational-judgement) items and how they are put to a simulacrum.

Upstream, only Mary Jones and Haley Collins have item text; the other nine
characters' items were withheld by the authors (licensed test items, available from
them on request), so those characters are *unavailable* for this measure: they get
no dataset and no number, never a 0.

Users who hold items can supply them in the upstream format: a directory with
``<Name>/Open-Ended.json`` (or ``<slug>/Open-Ended.json``), each a JSON list of
``{"type": "Open-Ended", "question": "...", ...}`` objects. A user file replaces the
upstream items of its character; items with empty text are skipped.
"""

from __future__ import annotations

import json
from pathlib import Path

from ...data.records import Character, Question, QuestionType
from ...data.store import HumanSimulacra
from ...errors import MalformedDataFileError
from ...prompts import render

__all__ = ["OPEN_ENDED_FILE", "open_ended_items", "parse_open_ended", "frame_open_ended", "user_items_path"]

OPEN_ENDED_FILE = "Open-Ended.json"


def user_items_path(user_dir: Path, character: Character) -> Path | None:
    """The user's item file for a character (``<Name>/`` or ``<slug>/``), or None."""
    for folder in (character.name, character.slug):
        path = user_dir / folder / OPEN_ENDED_FILE
        if path.is_file():
            return path
    return None


def open_ended_items(store: HumanSimulacra, name: str, user_dir: Path | None = None) -> tuple[Question, ...]:
    """The character's items: the user's file when there is one, else upstream (possibly empty)."""
    character = store.character(name)
    path = user_items_path(user_dir, character) if user_dir is not None else None
    if path is None:
        return store.questions(character.name, QuestionType.OPEN_ENDED)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise MalformedDataFileError(f"{path}: not a valid UTF-8 JSON file ({exc})") from exc
    return parse_open_ended(data, character.name, path)


def parse_open_ended(data: object, character: str, path: Path) -> tuple[Question, ...]:
    """Items of an Open-Ended file in the upstream format; empty questions are skipped."""
    if not isinstance(data, list):
        raise MalformedDataFileError(f"{path}: expected a JSON list of items like the upstream {OPEN_ENDED_FILE}")
    items = []
    for number, item in enumerate(data, start=1):
        text = item.get("question") if isinstance(item, dict) else None
        kind = item.get("type", QuestionType.OPEN_ENDED.value) if isinstance(item, dict) else None
        if not isinstance(text, str) or kind != QuestionType.OPEN_ENDED.value:
            raise MalformedDataFileError(
                f'{path}, item {number}: expected an object with "type": "Open-Ended" and a "question" string'
            )
        if text.strip():
            items.append(Question(character=character, type=QuestionType.OPEN_ENDED, number=number, text=text.strip()))
    return tuple(items)


def frame_open_ended(question: Question) -> tuple[str, str]:
    """(system, user) messages: the friendly-chat scene and the scenario with the four-part request."""
    if question.type is not QuestionType.OPEN_ENDED:
        raise ValueError(f"{question.type.value} items are not Open-Ended")
    return render("selfreport_scene"), render("observer_open_ended", scenario=question.text)
