"""The paper's scheme of 20 trait statements, which encodes a Jung function order.

1. the function order: a perceiving function (Ne, Ni, Se, Si) first, a judging function
   (Te, Ti, Fe, Fi) second, the other six shuffled;
2. position p (0-7) contributes ``TRAIT_LAYOUT[p]`` = 4, 3, 2, 1, 1, 2, 3, 4 statements
   of level p+1 of its function, listed in that order.

So the ground-truth Jung order is known by construction (:func:`draw_traits`) and
:func:`recover_jung_order` finds it again from the statements alone. The statements are
rendered as in the cards ("- s1. - s2. ...") by :func:`render_traits`.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from ..data.records import Character
from ..data.traits import FUNCTIONS, TraitCatalog
from ..errors import ConfigError, DataError, MalformedDataFileError
from ..experiments.jung.truth import TRAIT_LAYOUT, true_order

__all__ = [
    "JUDGING",
    "PERCEIVING",
    "TRAIT_COUNT",
    "TRAIT_LAYOUT",
    "check_order",
    "draw_traits",
    "recover_jung_order",
    "render_traits",
    "split_traits",
]

PERCEIVING: tuple[str, ...] = ("Ne", "Ni", "Se", "Si")
JUDGING: tuple[str, ...] = ("Te", "Ti", "Fe", "Fi")
TRAIT_COUNT = sum(TRAIT_LAYOUT)
"""Statements a profile holds (20)."""


def render_traits(traits: Sequence[str]) -> str:
    """Statements as in the cards: "- s1. - s2. ..."."""
    return " ".join(f"- {t.strip().rstrip('.')}." for t in traits)


def split_traits(text: str) -> tuple[str, ...]:
    """The statements of a rendered trait list, without "- " or the final period (split as the cards are)."""
    listed = Character(id="", name="", basic_infos="", personality_traits=text, biography="").traits
    return tuple(t.rstrip(". ") for t in listed)


def draw_traits(
    catalog: TraitCatalog, rng: random.Random, *, order: Sequence[str] | None = None
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Draw the function order and the 20 statements of the paper's scheme.

    Args:
        catalog: the statements of ``traits.txt``.
        rng: the random source (the order is drawn from it even when ``order`` is given, so
            the draws after it do not depend on ``order``).
        order: a fixed function order F1..F8 instead of the drawn one.

    Returns:
        The order F1..F8 and the statements: ``TRAIT_LAYOUT[p]`` distinct ones of level p+1
        of ``order[p]`` for p = 0..7, in that order.
    """
    first, second = rng.choice(PERCEIVING), rng.choice(JUDGING)
    rest = [f for f in FUNCTIONS if f not in (first, second)]
    rng.shuffle(rest)
    chosen = (first, second, *rest) if order is None else check_order(order)
    statements: list[str] = []
    for level, (function, count) in enumerate(zip(chosen, TRAIT_LAYOUT, strict=True), start=1):
        pool = catalog.at(function, level)
        if len(pool) < count:
            raise MalformedDataFileError(f"traits.txt: {function} level {level} has {len(pool)} statements")
        statements += [s.text for s in rng.sample(pool, count)]
    return chosen, tuple(statements)


def recover_jung_order(traits: Sequence[str], catalog: TraitCatalog, *, name: str = "the profile") -> tuple[str, ...]:
    """The function order F1..F8 that 20 statements were drawn with (looked up in ``traits.txt``).

    Uses :func:`llmp_opencompass.experiments.jung.true_order`, so statements listed out of
    the scheme's order are placed by their level, as for the dataset's characters.

    Raises:
        DataError: a statement is not in ``traits.txt``, or the levels do not fit 4-3-2-1-1-2-3-4.
    """
    if len(traits) != TRAIT_COUNT:
        raise DataError(f"{name}: expected {TRAIT_COUNT} trait statements, got {len(traits)}")
    character = Character(id="", name=name, basic_infos="", personality_traits=render_traits(traits), biography="")
    return true_order(character, catalog).order


def check_order(order: Sequence[str]) -> tuple[str, ...]:
    """``order`` as function codes F1..F8 ("ne" -> "Ne"); a ``ConfigError`` unless each function is there once."""
    codes = tuple(code.strip().capitalize() for code in order)
    if sorted(codes) != sorted(FUNCTIONS):
        raise ConfigError(
            f"jung_order {','.join(order)!r}: expected each of the 8 functions once, comma-separated, "
            f"e.g. {','.join(FUNCTIONS)}"
        )
    return codes
