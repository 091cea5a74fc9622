"""Conformity metrics over the sessions of one (character, condition), and Asch's human baseline.

Every rate is a percentage over the trials whose reply names a line: an unparsed
reply is counted in ``unparsed`` and left out of both the numerator and the
denominator, so it never counts as conformity, as an error or as independence.
A rate with an empty denominator is NaN (shown as such), never 0.

In the ``control`` condition the group's line is never heard; its
``critical_group_rate`` is how often the subject picks that line anyway, the
baseline that the ``group`` condition's rate is compared with.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np

from ...bootstrap import bootstrap, interval
from .records import TrialRecord

__all__ = [
    "HUMAN_BASELINE",
    "METRICS",
    "ConformityMetrics",
    "HumanBaseline",
    "conformity_interval",
    "conformity_metrics",
]

METRICS: tuple[str, ...] = (
    "critical_group_rate",
    "critical_wrong_rate",
    "neutral_correct_rate",
    "conformed_at_least_once",
    "unparsed",
    "sessions",
    "critical_answered",
    "neutral_answered",
)
"""Result fields of a (character, condition) dataset, main metric first; stable names."""


@dataclass(frozen=True)
class ConformityMetrics:
    """The metrics of one or more sessions of one (character, condition)."""

    critical_group_rate: float
    """% of answered critical trials answered with the group's (wrong) line: conformity."""
    critical_wrong_rate: float
    """% of answered critical trials answered with any wrong line."""
    neutral_correct_rate: float
    """% of answered neutral trials (the group is right) answered correctly."""
    conformed_at_least_once: float
    """% of sessions with at least one critical trial answered with the group's line."""
    unparsed: int
    """Replies that name no line clearly (all trials, all sessions)."""
    sessions: int
    """Sessions pooled."""
    critical_answered: int
    """Denominator of the critical rates: critical trials whose reply names a line."""
    neutral_answered: int
    """Denominator of ``neutral_correct_rate``."""

    def as_dict(self) -> dict[str, float | int]:
        """The metrics in :data:`METRICS` order."""
        values = asdict(self)
        return {name: values[name] for name in METRICS}


@dataclass(frozen=True)
class HumanBaseline:
    """Asch's results with human subjects, for comparison (Asch 1951; 1956)."""

    critical_group_rate: float = 32.0
    """About a third of the answers on critical trials went with the unanimous wrong majority."""
    conformed_at_least_once: float = 75.0
    """About three quarters of the subjects conformed at least once."""
    control_wrong_rate: str = "<1"
    """Alone, subjects erred on fewer than 1% of the judgements."""


HUMAN_BASELINE = HumanBaseline()


def _rate(hits: int, total: int) -> float:
    return 100.0 * hits / total if total else math.nan


def conformity_metrics(sessions: Sequence[Sequence[TrialRecord]]) -> ConformityMetrics:
    """Pool the sessions' trial records into the metrics (see the module doc for the denominators)."""
    if not sessions:
        raise ValueError("conformity metrics need at least one session")
    records = [r for session in sessions for r in session]
    critical = [r for r in records if r.trial.critical and r.answered]
    neutral = [r for r in records if not r.trial.critical and r.answered]
    return ConformityMetrics(
        critical_group_rate=_rate(sum(bool(r.conformed) for r in critical), len(critical)),
        critical_wrong_rate=_rate(sum(r.correct is False for r in critical), len(critical)),
        neutral_correct_rate=_rate(sum(bool(r.correct) for r in neutral), len(neutral)),
        conformed_at_least_once=_rate(sum(any(r.conformed for r in s) for s in sessions), len(sessions)),
        unparsed=sum(not r.answered for r in records),
        sessions=len(sessions),
        critical_answered=len(critical),
        neutral_answered=len(neutral),
    )


def conformity_interval(sessions: Sequence[Sequence[TrialRecord]], *, seed: int) -> tuple[float, float]:
    """The 95% bootstrap interval of ``critical_group_rate``: over sessions when there are
    several, else over the answered critical trials of the one session."""
    if len(sessions) > 1:
        units: list[Sequence[TrialRecord]] = list(sessions)
    else:
        units = [[r] for r in sessions[0] if r.trial.critical and r.answered] if sessions else []
    if not units:
        return math.nan, math.nan
    estimate = conformity_metrics(units).critical_group_rate

    def rate(indices: np.ndarray) -> float:
        return conformity_metrics([units[i] for i in indices]).critical_group_rate

    span = interval(estimate, bootstrap(len(units), rate, seed=seed))
    return span.low, span.high
