"""Uncertainty of a score: bootstrap intervals with fixed seeds, and paired comparisons.

Every score here is a statistic of a few items (15 per character), so each one comes with
a 95% percentile-bootstrap interval. The resampling is seeded from what is being measured
(e.g. the character and questionnaire), never from the model: two methods evaluated on
the same items draw the same resamples, so the difference of their replicates is a
*paired* bootstrap of the difference (Efron & Tibshirani 1993, ch. 13), and a score made
of several questionnaires sums the replicates of each (a stratified bootstrap).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

__all__ = [
    "DRAWS",
    "Interval",
    "PairedDifference",
    "bootstrap",
    "interval",
    "item_repeat_replicates",
    "paired_difference",
    "seed_for",
]

DRAWS = 1000
"""Bootstrap replicates per score."""
LEVEL = 0.95


@dataclass(frozen=True)
class Interval:
    """A point estimate and its 95% interval (NaN bounds when there is nothing to resample)."""

    estimate: float
    low: float
    high: float


@dataclass(frozen=True)
class PairedDifference:
    """``a - b`` on the same items, with its paired-bootstrap interval and two-sided p-value."""

    difference: float
    low: float
    high: float
    p_value: float


def seed_for(*parts: object) -> int:
    """A seed that depends only on ``parts`` (SHA-256; never Python's salted ``hash``)."""
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:8], "big")


def item_repeat_replicates(points: np.ndarray, *, seed: int, draws: int = DRAWS) -> np.ndarray:
    """Replicates of ``sum over items of the mean over repeats`` of a (items x repeats) matrix.

    Each replicate resamples the items with replacement, then each drawn item's repeats with
    replacement: the two sources of variation, which items were asked and what the model
    happened to say.
    """
    points = np.asarray(points, dtype=np.float64)
    if points.ndim != 2 or not points.size:
        raise ValueError(f"expected a non-empty (items x repeats) matrix, got shape {points.shape}")
    items, repeats = points.shape
    rng = np.random.default_rng(seed)
    drawn_items = rng.integers(0, items, size=(draws, items))
    drawn_repeats = rng.integers(0, repeats, size=(draws, items, repeats))
    return points[drawn_items[..., None], drawn_repeats].mean(axis=-1).sum(axis=-1)


def bootstrap(count: int, statistic: Callable[[np.ndarray], float], *, seed: int, draws: int = DRAWS) -> np.ndarray:
    """Replicates of ``statistic(indices)`` over resamples of ``range(count)`` with replacement."""
    if count < 1:
        raise ValueError("nothing to resample")
    rng = np.random.default_rng(seed)
    return np.array([statistic(rng.integers(0, count, size=count)) for _ in range(draws)], dtype=np.float64)


def interval(estimate: float, replicates: Sequence[float] | np.ndarray) -> Interval:
    """The percentile interval of the finite replicates (NaN bounds when none is finite), widened
    to hold the estimate when every replicate lies on one side of it (a bounded statistic at its
    bound, such as a perfect Kendall tau, which resampling can only lower)."""
    values = np.asarray(replicates, dtype=np.float64)
    values = values[np.isfinite(values)]
    if not values.size:
        return Interval(estimate, math.nan, math.nan)
    tail = (1 - LEVEL) / 2 * 100
    low, high = (float(v) for v in np.percentile(values, [tail, 100 - tail]))
    if math.isfinite(estimate):
        low, high = min(low, estimate), max(high, estimate)
    return Interval(estimate, low, high)


def paired_difference(
    a: float, b: float, replicates_a: Sequence[float] | np.ndarray, replicates_b: Sequence[float] | np.ndarray
) -> PairedDifference:
    """``a - b`` with the interval of the replicate differences and the two-sided bootstrap
    p-value ``min(1, 2 x min(share of differences <= 0, share >= 0))``."""
    differences = np.asarray(replicates_a, dtype=np.float64) - np.asarray(replicates_b, dtype=np.float64)
    if differences.shape != (len(differences),) or not len(differences):
        raise ValueError("paired replicates must be two equally long, non-empty sequences")
    span = interval(a - b, differences)
    p_value = min(1.0, 2 * min(float(np.mean(differences <= 0)), float(np.mean(differences >= 0))))
    return PairedDifference(a - b, span.low, span.high, p_value)
