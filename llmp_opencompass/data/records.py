"""Typed, frozen records of the Human Simulacra dataset.

These records are what crosses module boundaries: loaders build them from the
upstream JSON/text files, everything else reads them. No OpenCompass import.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

__all__ = [
    "slugify",
    "Character",
    "QuestionType",
    "Question",
    "Story",
    "MemoryEntry",
    "LongTermMemory",
]

_QUOTE_MARKERS = re.compile(r'^\s*""\s*$', re.MULTILINE)


def slugify(name: str) -> str:
    """Lower-case name with runs of spaces turned into underscores ("Mary Jones" -> "mary_jones")."""
    return re.sub(r"\s+", "_", name.strip().lower())


@dataclass(frozen=True)
class Character:
    """A character card (one entry of ``character_introductions.json``)."""

    id: str
    """Upstream id, "000" to "010" for the built-in characters."""
    name: str
    """Full name, e.g. "Mary Jones"."""
    basic_infos: str
    """Upstream ``Basic_infos`` text, quote-pair marker lines included."""
    personality_traits: str
    """Upstream ``Personality_traits``: 20 statements, each starting with "- "."""
    biography: str
    """Upstream ``Content``: the biography, paragraphs separated by blank lines."""
    extra: tuple[tuple[str, str], ...] = ()
    """Upstream ``Extra`` attributes as (key, value) pairs, in file order."""

    @property
    def slug(self) -> str:
        """The name as used in dataset abbrs ("mary_jones")."""
        return slugify(self.name)

    @property
    def traits(self) -> tuple[str, ...]:
        """The trait statements, without the leading "- "."""
        parts = (p.strip() for p in re.split(r"(?:^|\s)-\s", " " + self.personality_traits))
        return tuple(p for p in parts if p)

    def basic_information(self) -> str:
        """``Basic_infos`` without the quote markers, with ``Extra`` merged in as "key: value"."""
        text = _QUOTE_MARKERS.sub("", self.basic_infos).strip()
        if not self.extra:
            return text
        extra = ", ".join(f"{key}: {value}" for key, value in self.extra)
        return f"{text.rstrip('.')}, {extra}."

    @classmethod
    def from_card(cls, card: Mapping[str, object]) -> Character:
        """Build from one JSON object of ``character_introductions.json``.

        Raises:
            KeyError: a required key is missing (callers add the file name).
            TypeError: a value has the wrong type.
        """
        extra = card.get("Extra") or {}
        if not isinstance(extra, Mapping):
            raise TypeError(f"'Extra' must be an object, got {type(extra).__name__}")
        fields = {key: card[key] for key in ("ID", "Name", "Basic_infos", "Personality_traits", "Content")}
        for key, value in fields.items():
            if not isinstance(value, str):
                raise TypeError(f"{key!r} must be a string, got {type(value).__name__}")
        return cls(
            id=str(fields["ID"]),
            name=str(fields["Name"]).strip(),
            basic_infos=str(fields["Basic_infos"]),
            personality_traits=str(fields["Personality_traits"]),
            biography=str(fields["Content"]),
            extra=tuple((str(k), str(v)) for k, v in extra.items()),
        )


class QuestionType(str, Enum):
    """The questionnaire types, valued as the upstream file names."""

    CLOZE = "Cloze"
    SINGLE_CHOICE = "Single_choice"
    MULTIPLE_CHOICES = "Multiple_choices"
    OPEN_ENDED = "Open-Ended"

    @property
    def slug(self) -> str:
        """Lower-case form used in abbrs: cloze, single_choice, multiple_choices, open_ended."""
        return self.value.lower().replace("-", "_")

    @property
    def is_choice(self) -> bool:
        """True for single and multiple choice."""
        return self in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICES)

    @property
    def is_scored(self) -> bool:
        """True for the self-report types scored automatically (not Open-Ended)."""
        return self is not QuestionType.OPEN_ENDED

    @classmethod
    def parse(cls, value: str) -> QuestionType:
        """Accept the upstream value or the slug, in any case."""
        wanted = value.strip().lower().replace("-", "_")
        for member in cls:
            if member.slug == wanted:
                return member
        valid = ", ".join(m.slug for m in cls)
        raise ValueError(f"unknown question type {value!r}; valid types: {valid}")


SCORED_TYPES: tuple[QuestionType, ...] = (
    QuestionType.CLOZE,
    QuestionType.SINGLE_CHOICE,
    QuestionType.MULTIPLE_CHOICES,
)

_LABEL = re.compile(r"^\s*([A-Za-z])\s*[.)]\s*")


@dataclass(frozen=True)
class Question:
    """One questionnaire item."""

    character: str
    """Name of the character the item is about."""
    type: QuestionType
    """Questionnaire type."""
    number: int
    """1-based position in its upstream file."""
    text: str
    """The question, verbatim."""
    options: tuple[str, ...] = ()
    """Option texts without their "A. " labels, in upstream order (empty for Cloze/Open-Ended)."""
    answer: tuple[str, ...] = ()
    """Gold answer: accepted texts for Cloze, upstream letters for choice items, empty for Open-Ended."""

    @property
    def gold_indices(self) -> tuple[int, ...]:
        """0-based indices of the gold options (choice items only), sorted."""
        if not self.type.is_choice:
            raise ValueError(f"{self.type.value} items have no gold options")
        return tuple(sorted(string.ascii_uppercase.index(a.strip().upper()) for a in self.answer))

    @staticmethod
    def strip_label(option: str) -> str:
        """Remove an upstream "A. " label from an option text."""
        return _LABEL.sub("", option, count=1).strip()


@dataclass(frozen=True)
class Story:
    """A character's life story (the upstream ``.txt``), one paragraph per line."""

    character: str
    """Name of the character."""
    paragraphs: tuple[str, ...]
    """Non-empty paragraphs, in order."""

    @property
    def text(self) -> str:
        """The whole story, paragraphs separated by newlines."""
        return "\n".join(self.paragraphs)


@dataclass(frozen=True)
class MemoryEntry:
    """One long-term memory of MACM (an entry of ``long_memory.json``)."""

    key: str
    """Three-digit id, "001" upwards."""
    summary: str
    """Short summary (also the value in ``index.json``)."""
    content: str
    """Recollection of the story fragment ("Memory Content")."""
    thinking: str
    """Inner thoughts about it."""
    emotion: str
    """Feelings about it."""


@dataclass(frozen=True)
class LongTermMemory:
    """A character's whole long-term memory, in key order."""

    character: str
    """Name of the character."""
    entries: tuple[MemoryEntry, ...]
    """Entries sorted by key."""

    def get(self, key: str) -> MemoryEntry | None:
        """The entry with this key, or None."""
        return next((e for e in self.entries if e.key == key), None)
