"""Scoring a character's Jung test and comparing its function profile with the truth.

- Each "yes" adds the statement's level score (+4, +3, +2, +1, -1, -2, -3, -4 for
  levels 1..8) to its function; "no" and unparsed replies add nothing.
- The predicted order sorts the functions by score, highest first; equal scores keep
  the order of ``traits.txt`` (Ne, Ni, Se, Si, Te, Ti, Fe, Fi). This tie-break only
  orders the display: the correlations below see ties as ties.
- ``kendall_tau`` (tau-b) and ``spearman`` correlate the predicted scores with the
  true rank positions (F1 highest), so identical orders give 1, reversed orders -1 and
  a swap of the top two 0.929 (8 functions). The original passed the lists of function
  *names* to scipy, which ranked them alphabetically: 0.643 for that swap, -0.286
  for Mary Jones reversed.
- When all eight scores are equal (e.g. every reply unparsed) there is no order to
  correlate: both correlations are NaN, never a number.
- ``top1_match`` is 1 when the true dominant function alone has the highest score.
- :func:`tau_interval` bootstraps tau over the statements asked (seeded by the character).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.stats import kendalltau, spearmanr

from ...bootstrap import bootstrap, interval
from ...data.traits import FUNCTIONS
from ...scoring.agreement import Agreement
from .items import JungItem

__all__ = ["JungScore", "function_scores", "predicted_order", "rank_correlations", "score_test", "tau_interval"]


@dataclass(frozen=True)
class JungScore:
    """The result of one character's test."""

    function_scores: dict[str, int]
    """Sum of the level scores of the endorsed statements, per function (``traits.txt`` order)."""
    predicted_order: tuple[str, ...]
    """Functions by score, highest first (ties in ``traits.txt`` order)."""
    true_order: tuple[str, ...]
    """The character's functions F1..F8."""
    kendall_tau: float
    """Kendall tau-b between scores and true positions; NaN when all scores are equal."""
    spearman: float
    """Spearman rho between scores and true positions; NaN when all scores are equal."""
    top1_match: int
    """1 when the true dominant function alone scores highest, else 0."""
    answered: int
    """Replies parsed as yes or no."""
    unparsed: int
    """Replies that were neither (they add nothing)."""


def function_scores(answers: Iterable[tuple[JungItem, Agreement]]) -> dict[str, int]:
    """Per-function sums of the level scores of the "yes" answers (every function present)."""
    scores = dict.fromkeys(FUNCTIONS, 0)
    for item, agreement in answers:
        if agreement is Agreement.YES:
            scores[item.statement.function] += item.score
    return scores


def predicted_order(scores: Mapping[str, int]) -> tuple[str, ...]:
    """Functions by score, highest first; ties keep the ``traits.txt`` order."""
    return tuple(sorted(FUNCTIONS, key=lambda f: (-scores[f], FUNCTIONS.index(f))))


def rank_correlations(scores: Mapping[str, float], order: Sequence[str]) -> tuple[float, float]:
    """(Kendall tau-b, Spearman rho) between the scores and the true order's positions."""
    if len(set(order)) != len(order) or set(order) != set(scores):
        raise ValueError(f"the true order {list(order)} must list each scored function once")
    if len({scores[f] for f in order}) == 1:
        return math.nan, math.nan
    predicted = [scores[f] for f in order]
    truth = [-position for position in range(len(order))]  # F1 highest
    return float(kendalltau(predicted, truth).statistic), float(spearmanr(predicted, truth).statistic)


def score_test(answers: Sequence[tuple[JungItem, Agreement]], true_order: Sequence[str]) -> JungScore:
    """Score one character's answers against its true order."""
    scores = function_scores(answers)
    tau, rho = rank_correlations(scores, true_order)
    top = max(scores.values())
    unparsed = sum(1 for _, a in answers if a is Agreement.UNPARSED)
    return JungScore(
        function_scores=scores,
        predicted_order=predicted_order(scores),
        true_order=tuple(true_order),
        kendall_tau=tau,
        spearman=rho,
        top1_match=int(scores[true_order[0]] == top and sum(s == top for s in scores.values()) == 1),
        answered=len(answers) - unparsed,
        unparsed=unparsed,
    )


def tau_interval(
    answers: Sequence[tuple[JungItem, Agreement]], true_order: Sequence[str], *, seed: int
) -> tuple[float, float]:
    """The 95% bootstrap interval of Kendall's tau over the statements asked (resampled with
    replacement, seeded by the character, so every method draws the same resamples)."""
    answers = list(answers)
    estimate = rank_correlations(function_scores(answers), true_order)[0]

    def tau(indices: np.ndarray) -> float:
        return rank_correlations(function_scores([answers[i] for i in indices]), true_order)[0]

    span = interval(estimate, bootstrap(len(answers), tau, seed=seed))
    return span.low, span.high
