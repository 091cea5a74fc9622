"""A questionnaire's score over its items and repeats, with a 95% bootstrap interval.

With ``LLMP_REPEATS=N`` every item is asked N times (repeat r with its own option order and
sampling seed r). A questionnaire's ``points`` are the mean over the repeats of its total on
the paper's scale (the sum over items of each item's mean points); ``accuracy`` is the share
of (item, repeat) answers fully right. The interval resamples items and, within each drawn
item, its repeats (:func:`llmp_opencompass.bootstrap.item_repeat_replicates`), seeded by the
character and questionnaire only, so two methods' replicates are paired.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ...bootstrap import DRAWS, interval, item_repeat_replicates, seed_for
from ...scoring.points import ItemScore

__all__ = ["AskedItem", "QuestionnaireScore", "questionnaire_score", "questionnaire_seed"]


@dataclass(frozen=True)
class AskedItem:
    """The score of one item in one repeat."""

    number: int
    """The item's 1-based number in its questionnaire."""
    repeat: int
    """Which repeat (0 for a single run)."""
    score: ItemScore
    """Its points."""


@dataclass(frozen=True)
class QuestionnaireScore:
    """What a questionnaire's result file reports."""

    points: float
    """Mean over repeats of the total points (paper scale)."""
    max_points: int
    """Most points the questionnaire can give."""
    accuracy: float
    """% of the (item, repeat) answers with full credit."""
    low: float
    """Lower bound of the 95% interval of ``points``."""
    high: float
    """Upper bound of the 95% interval of ``points``."""
    repeats: int
    """Times every item was asked."""
    replicates: tuple[float, ...]
    """The bootstrap replicates of ``points`` (summed and differenced across questionnaires)."""


def questionnaire_seed(character: str, qtype: str) -> int:
    """The resampling seed of one questionnaire: the same for every method and model."""
    return seed_for("selfreport", character, qtype)


def questionnaire_score(asked: Sequence[AskedItem], *, seed: int, draws: int = DRAWS) -> QuestionnaireScore:
    """Points, accuracy and interval of one questionnaire.

    Raises:
        ValueError: no item, or an item missing from a repeat (every item must be asked every time).
    """
    if not asked:
        raise ValueError("a questionnaire needs at least one scored item")
    numbers = sorted({a.number for a in asked})
    repeats = sorted({a.repeat for a in asked})
    cells = {(a.number, a.repeat): a.score for a in asked}
    if len(cells) != len(numbers) * len(repeats) or len(cells) != len(asked):
        raise ValueError(f"every item must be scored once per repeat: items {numbers}, repeats {repeats}")
    points = np.array([[cells[n, r].points for r in repeats] for n in numbers], dtype=np.float64)
    correct = np.array([[cells[n, r].correct for r in repeats] for n in numbers], dtype=np.float64)
    total = float(points.mean(axis=1).sum())
    replicates = item_repeat_replicates(points, seed=seed, draws=draws)
    span = interval(total, replicates)
    return QuestionnaireScore(
        points=total,
        max_points=sum(cells[n, repeats[0]].max_points for n in numbers),
        accuracy=100.0 * float(correct.mean()),
        low=span.low,
        high=span.high,
        repeats=len(repeats),
        replicates=tuple(float(v) for v in replicates),
    )
