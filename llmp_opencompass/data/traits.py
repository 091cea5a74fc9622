"""The 640 personality statements of ``Attributes/traits.txt``, parsed robustly.

The file holds 8 blocks, one per Jungian cognitive function in the order Ne, Ni, Se,
Si, Te, Ti, Fe, Fi. Each block is a line with the function's code followed by 8 level
lines: level 1 is the strongest endorsement of the function, level 8 the strongest
negation. A level line holds 10 first-person statements separated by ". ".

The original parser split each line on ". " and cut the last two characters off the
last piece (meant to drop ".\\n"). That left two defects, which :func:`parse_traits`
handles and reports in :attr:`TraitCatalog.notes`:

- a line ending in ". " (upstream: Te level 1 and Fe level 1) gave an empty 11th
  statement; empty pieces are dropped here;
- the last line has no final newline, so its last word lost a letter; here a line
  is stripped of whitespace and of its final "." instead, so no word is clipped.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import MalformedDataFileError
from .store import HumanSimulacra

__all__ = [
    "FUNCTIONS",
    "LEVELS",
    "LEVEL_SCORES",
    "STATEMENTS_PER_LEVEL",
    "TraitCatalog",
    "TraitStatement",
    "load_traits",
    "parse_traits",
    "statement_key",
]

FUNCTIONS: tuple[str, ...] = ("Ne", "Ni", "Se", "Si", "Te", "Ti", "Fe", "Fi")
"""The eight cognitive functions, in the order of ``traits.txt``."""
LEVELS = 8
"""Levels per function: 1 (strongest endorsement) to 8 (strongest negation)."""
STATEMENTS_PER_LEVEL = 10
"""Statements on each level line."""
LEVEL_SCORES: tuple[int, ...] = (4, 3, 2, 1, -1, -2, -3, -4)
"""What agreeing with a statement of level 1..8 adds to its function."""

_SEPARATOR = ". "


@dataclass(frozen=True)
class TraitStatement:
    """One personality statement of ``traits.txt``."""

    function: str
    """Cognitive function code, one of :data:`FUNCTIONS`."""
    level: int
    """1 (strongest endorsement) to 8 (strongest negation)."""
    number: int
    """1-based position on its level line."""
    text: str
    """The statement, without its final period."""

    @property
    def score(self) -> int:
        """The level's score: +4, +3, +2, +1, -1, -2, -3, -4 for levels 1..8."""
        return LEVEL_SCORES[self.level - 1]


@dataclass(frozen=True)
class TraitCatalog:
    """All statements of ``traits.txt`` and what was repaired while parsing it."""

    statements: tuple[TraitStatement, ...]
    """Every statement, by function (file order), level and position."""
    notes: tuple[str, ...] = ()
    """Defects found in the file and how each was handled (empty for a clean file)."""

    def at(self, function: str, level: int) -> tuple[TraitStatement, ...]:
        """The statements of one function and level, in file order."""
        return tuple(s for s in self.statements if s.function == function and s.level == level)


def statement_key(text: str) -> str:
    """How statements are compared: case-insensitive, curly apostrophes straightened,
    whitespace collapsed, leading "- " and final period dropped."""
    text = text.replace("’", "'").strip().removeprefix("- ").rstrip(". ")
    return " ".join(text.lower().split())


def parse_traits(text: str, source: str = "traits.txt") -> TraitCatalog:
    """Parse ``traits.txt``; raises ``MalformedDataFileError`` naming ``source`` and the line."""
    lines = text.split("\n")
    expected = len(FUNCTIONS) * (LEVELS + 1)
    if lines and lines[-1] == "":
        lines = lines[:-1]
    if len(lines) != expected:
        raise MalformedDataFileError(f"{source}: expected {expected} lines (8 blocks of 9), found {len(lines)}")
    statements: list[TraitStatement] = []
    notes: list[str] = []
    if not text.endswith("\n"):
        notes.append(f"{source}: no final newline (the original parser clipped the last word); kept whole")
    for block, function in enumerate(FUNCTIONS):
        start = block * (LEVELS + 1)
        if lines[start].strip() != function:
            raise MalformedDataFileError(f"{source}, line {start + 1}: expected the code {function!r}")
        for level in range(1, LEVELS + 1):
            pieces = _pieces(lines[start + level], f"{source}, line {start + level + 1}", notes)
            statements += [TraitStatement(function, level, n, p) for n, p in enumerate(pieces, start=1)]
    return TraitCatalog(tuple(statements), tuple(notes))


def _pieces(line: str, where: str, notes: list[str]) -> list[str]:
    raw = line.rstrip("\r\n").split(_SEPARATOR)
    pieces = [p.strip().rstrip(".").strip() for p in raw]
    kept = [p for p in pieces if p]
    if len(kept) != len(pieces):
        notes.append(f"{where}: {len(pieces) - len(kept)} empty piece(s) after splitting on '. ' (dropped)")
    if len(kept) != STATEMENTS_PER_LEVEL:
        raise MalformedDataFileError(f"{where}: expected {STATEMENTS_PER_LEVEL} statements, found {len(kept)}")
    return kept


def load_traits(store: HumanSimulacra) -> TraitCatalog:
    """The verified ``Attributes/traits.txt`` of a local copy, parsed."""
    path = store.characters_dir / "Attributes" / "traits.txt"
    return parse_traits(store.attribute_text("traits"), source=str(path))
