"""Which results a mean should cover, so that no mean of the report silently covers fewer.

A mean over the characters (or datasets) that happen to have a result would compare
columns over different sets: a method whose task failed for one character would get the
mean of the others. Every column's mean must cover the same set: every item that the
run's dumped config evaluates (for any column), plus every item that any column has a
result for. A mean over an incomplete set is not computed: its cell says ``n/a (k of n)``,
and the plots draw no bar for it, only "n/a".
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from ..names import Experiment
from .results import DatasetResult

__all__ = ["COVERAGE_NOTE", "CoveredMean", "character_of", "covered_mean", "expected_items", "questionnaire_of"]

COVERAGE_NOTE = "A mean covers all the run's characters or none: `n/a (k of n)` means only k of the n have a result."


@dataclass(frozen=True)
class CoveredMean:
    """A mean and how much of what it should cover it covers."""

    value: float
    """The mean; NaN unless every expected item has a finite value."""
    covered: int
    """Expected items with a finite value."""
    expected: int
    """Items the mean should cover."""

    def cell(self, digits: int = 1, scale: float = 1.0) -> str:
        """``12.3``, or ``n/a (1 of 2)`` when items are missing, or ``n/a`` when none is expected."""
        if self.covered < self.expected:
            return f"n/a ({self.covered} of {self.expected})"
        return "n/a" if math.isnan(self.value) else f"{self.value * scale:.{digits}f}"


def covered_mean(values: Mapping[Hashable, float], expected: Iterable[Hashable]) -> CoveredMean:
    """The mean of ``values`` over ``expected`` (plus any item that has a value); NaN and missing
    items make it incomplete."""
    items = set(expected) | set(values)
    finite = [values[i] for i in items if i in values and not math.isnan(values[i])]
    complete = bool(items) and len(finite) == len(items)
    return CoveredMean(sum(finite) / len(finite) if complete else math.nan, len(finite), len(items))


def expected_items(
    results: Sequence[DatasetResult],
    pairs: Iterable[tuple[str, str]] | None,
    experiment: Experiment,
    item: Callable[[DatasetResult], Hashable],
) -> set[Hashable]:
    """The ``item``s (characters, datasets...) of ``experiment`` that every mean should cover: those
    of the run's config ``pairs`` (None when the run has no readable config) and of the results."""
    planned = [DatasetResult(model, dataset, {}, {}) for model, dataset in pairs or ()]
    return {item(r) for r in [*results, *planned] if r.name and r.name.experiment == experiment}


def character_of(result: DatasetResult) -> str:
    """The character slug of one of our results (empty for others)."""
    return result.name.slug if result.name else ""


def questionnaire_of(result: DatasetResult) -> tuple[str, str]:
    """(character slug, question type) of a self-report result: one dataset, whatever the variant."""
    return (result.name.slug, result.name.qtype or "") if result.name else ("", "")
