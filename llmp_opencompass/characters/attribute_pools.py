"""The attribute pools a profile is drawn from: ``Attributes/*.txt`` of the dataset.

One pool per drawn attribute (occupation, family, education, hobbies, short-term and
long-term goals), one item a line. Each pool must hold enough distinct items for the
draw and for the questionnaire's distractors.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..data.store import HumanSimulacra
from ..errors import MalformedDataFileError

__all__ = ["AttributePools"]

# AttributePools field -> Attributes/<file>.txt, and the fewest items the draw and the
# questionnaire need (the truth plus 3 distractors; 3 true plus 3 distractors for lists)
_POOLS: dict[str, tuple[str, int]] = {
    "occupations": ("occupations", 4),
    "families": ("family", 4),
    "educations": ("education", 4),
    "hobbies": ("hobbies", 6),
    "short_term_goals": ("short-term_goals", 6),
    "long_term_goals": ("long-term_goals", 4),
}


@dataclass(frozen=True)
class AttributePools:
    """The attribute pools of ``Attributes/*.txt``: one item a line, stripped, empties and repeats dropped."""

    occupations: tuple[str, ...]
    families: tuple[str, ...]
    educations: tuple[str, ...]
    hobbies: tuple[str, ...]
    short_term_goals: tuple[str, ...]
    long_term_goals: tuple[str, ...]

    @classmethod
    def from_store(cls, store: HumanSimulacra) -> AttributePools:
        """The pools of a local copy of the dataset (verified reads)."""
        return cls.from_texts({file: store.attribute_text(file) for file, _ in _POOLS.values()})

    @classmethod
    def from_texts(cls, texts: Mapping[str, str]) -> AttributePools:
        """Pools from file texts keyed by file stem ("occupations", "family", "short-term_goals", ...)."""
        pools: dict[str, tuple[str, ...]] = {}
        for name, (file, least) in _POOLS.items():
            if file not in texts:
                raise MalformedDataFileError(f"Attributes/{file}.txt is missing from the attribute pools")
            items = tuple(dict.fromkeys(line.strip() for line in texts[file].splitlines() if line.strip()))
            if len(items) < least:
                raise MalformedDataFileError(
                    f"Attributes/{file}.txt holds {len(items)} distinct item(s); at least {least} are needed "
                    "(one a line)"
                )
            pools[name] = items
        return cls(**pools)
