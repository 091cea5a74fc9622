"""The Jung test's items: for every function and level, a seeded sample of its statements.

With ``ratio`` r, each (function, level) contributes floor(r * 10) of its 10 statements
(r = 1.0, the default, asks all 640; r = 0.4 asks 256; r = 0.1 asks 64). The sample
of one (function, level) depends only on the character, the function and the level,
through a SHA-256 seed, so a rerun asks exactly the same statements. The original
drew an unseeded sample, and its ratio was never honoured (its arguments were passed
in the wrong order).
"""

from __future__ import annotations

import hashlib
import math
import random
from dataclasses import dataclass

from ...data.traits import FUNCTIONS, LEVELS, STATEMENTS_PER_LEVEL, TraitCatalog, TraitStatement
from ...errors import ConfigError

__all__ = ["JungItem", "per_level_count", "sample_seed", "jung_items"]


@dataclass(frozen=True)
class JungItem:
    """One statement put to one character: "is this true of you?"."""

    character: str
    """Name of the character asked."""
    statement: TraitStatement
    """The statement, with its function and level."""

    @property
    def score(self) -> int:
        """What a "yes" adds to the statement's function."""
        return self.statement.score


def per_level_count(ratio: float) -> int:
    """Statements asked per (function, level); raises ``ConfigError`` when it would be 0 or above 10."""
    if not 0 < ratio <= 1:
        raise ConfigError(f"Jung ratio {ratio} must be in (0, 1]: 1.0 asks all 640 statements, 0.1 asks 64")
    count = math.floor(ratio * STATEMENTS_PER_LEVEL + 1e-9)  # 0.3 * 10 is 2.9999...
    if count == 0:
        raise ConfigError(f"Jung ratio {ratio} selects no statement per level; use at least 0.1")
    return count


def sample_seed(character: str, function: str, level: int) -> int:
    """The sampling seed of one (character, function, level)."""
    digest = hashlib.sha256(f"jung\x1f{character}\x1f{function}\x1f{level}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def jung_items(catalog: TraitCatalog, character: str, ratio: float = 1.0) -> tuple[JungItem, ...]:
    """The character's items, by function (``traits.txt`` order) and level, statements in file order."""
    count = per_level_count(ratio)
    items: list[JungItem] = []
    for function in FUNCTIONS:
        for level in range(1, LEVELS + 1):
            pool = catalog.at(function, level)
            chosen = random.Random(sample_seed(character, function, level)).sample(range(len(pool)), count)
            items += [JungItem(character, pool[i]) for i in sorted(chosen)]
    return tuple(items)
