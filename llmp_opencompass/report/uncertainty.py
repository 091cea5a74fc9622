"""The report's intervals and paired comparisons of methods, from the results' bootstrap replicates.

Each self-report result carries the bootstrap replicates of its points, drawn with a seed of
the character and questionnaire only (:mod:`llmp_opencompass.experiments.selfreport.scores`).
So a character's total has the replicates of its three questionnaires summed, the mean over
characters the mean of those, and two methods' replicates are paired: their difference is a
paired bootstrap of the difference between the methods (:func:`llmp_opencompass.bootstrap.paired_difference`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from itertools import combinations

import numpy as np

from ..bootstrap import interval, paired_difference
from .coverage import character_of, expected_items
from .results import DatasetResult
from .tables import Table, character_name, character_totals, fmt, selfreport_points

__all__ = ["OVERALL", "character_replicates", "comparison_tables", "interval_table", "total_intervals"]

OVERALL = "mean over characters"
_TYPES = ("cloze", "single_choice", "multiple_choices")
_Key = tuple[str, str]


def _replicates(result: DatasetResult) -> np.ndarray | None:
    values = result.extra.get("points_bootstrap")
    return np.asarray(values, dtype=np.float64) if isinstance(values, list) and values else None


def character_replicates(results: Sequence[DatasetResult]) -> dict[_Key, np.ndarray | None]:
    """Replicates of each (character slug, column)'s points out of 50; None unless all three
    questionnaires have a result with replicates."""
    out: dict[_Key, np.ndarray | None] = {}
    for key, types in selfreport_points(results).items():
        parts = [_replicates(types[t]) for t in _TYPES if t in types]
        complete = len(parts) == len(_TYPES) and all(p is not None for p in parts)
        out[key] = np.sum(parts, axis=0) if complete and len({len(p) for p in parts}) == 1 else None  # type: ignore[arg-type]
    return out


def total_intervals(
    results: Sequence[DatasetResult], pairs: Iterable[tuple[str, str]] | None = None
) -> dict[_Key, tuple[float, float, float]]:
    """(estimate, low, high) per (character slug or :data:`OVERALL`, column); the overall one only
    when every character of the run has its replicates."""
    totals = character_totals(selfreport_points(results))
    reps = character_replicates(results)
    slugs = sorted({s for s, _ in reps} | expected_items(results, pairs, "selfreport", character_of))  # type: ignore[operator]
    out: dict[_Key, tuple[float, float, float]] = {}
    for column in dict.fromkeys(c for _, c in reps):
        per = [reps.get((s, column)) for s in slugs]
        for slug, rep in zip(slugs, per, strict=True):
            estimate = totals.get((slug, column), math.nan)
            span = interval(estimate, rep) if rep is not None else None
            out[slug, column] = (estimate, span.low, span.high) if span else (estimate, math.nan, math.nan)
        if per and all(p is not None for p in per):
            mean = float(np.mean([totals[(s, column)] for s in slugs]))
            span = interval(mean, np.mean(np.stack(per), axis=0))  # type: ignore[arg-type]
            out[OVERALL, column] = (mean, span.low, span.high)
        else:
            out[OVERALL, column] = (math.nan, math.nan, math.nan)
    return out


def interval_table(results: Sequence[DatasetResult], pairs: Iterable[tuple[str, str]] | None = None) -> Table | None:
    """Points out of 50 with their 95% intervals, per character and column, and the overall mean."""
    spans = total_intervals(results, pairs)
    if not spans:
        return None
    columns = list(dict.fromkeys(c for _, c in spans))
    names = [*dict.fromkeys(s for s, _ in spans if s != OVERALL), OVERALL]
    rows = tuple(
        (character_name(name) if name != OVERALL else name, *(_span(spans.get((name, c))) for c in columns))
        for name in names
    )
    return Table(
        "Self-report: points out of 50 with 95% intervals",
        ("character", *columns),
        rows,
        "Percentile bootstrap over the items (and the repeats, with LLMP_REPEATS), seeded per character and "
        "questionnaire; n/a where a result or its replicates are missing, or the mean would not cover every "
        "character.",
    )


def comparison_tables(
    results: Sequence[DatasetResult], pairs: Iterable[tuple[str, str]] | None = None
) -> tuple[Table, Table] | None:
    """Paired comparisons of every two columns of the run: overall, then per character."""
    reps = character_replicates(results)
    totals = character_totals(selfreport_points(results))
    columns = list(dict.fromkeys(c for _, c in reps))
    if len(columns) < 2:
        return None
    slugs = sorted({s for s, _ in reps} | expected_items(results, pairs, "selfreport", character_of))  # type: ignore[operator]
    pairs_of_columns = list(combinations(columns, 2))
    overall_rows, character_rows = [], []
    for a, b in pairs_of_columns:
        overall_rows.append((f"{a} - {b}", *_overall(a, b, slugs, reps, totals)))
    for slug in slugs:
        character_rows.append(
            (character_name(slug), *(_difference(reps, totals, (slug, a), (slug, b)) for a, b in pairs_of_columns))
        )
    note = ("Difference of the points out of 50 on the same items, with its 95% paired-bootstrap interval and "
            "two-sided p-value; n/a where either side is missing.")  # fmt: skip
    return (
        Table("Method comparison (paired), mean over characters",
              ("comparison", "difference", "95% interval", "p-value"), tuple(overall_rows), note),
        Table("Method comparison (paired), per character",
              ("character", *(f"{a} - {b}" for a, b in pairs_of_columns)), tuple(character_rows), note),
    )  # fmt: skip


def _overall(
    a: str, b: str, slugs: Sequence[str], reps: Mapping[_Key, np.ndarray | None], totals: Mapping[_Key, float]
) -> tuple[str, str, str]:
    left, right = [reps.get((s, a)) for s in slugs], [reps.get((s, b)) for s in slugs]
    if not slugs or any(r is None for r in left + right):
        return "n/a", "n/a", "n/a"
    diff = paired_difference(
        float(np.mean([totals[(s, a)] for s in slugs])), float(np.mean([totals[(s, b)] for s in slugs])),
        np.mean(np.stack(left), axis=0), np.mean(np.stack(right), axis=0),  # type: ignore[arg-type]
    )  # fmt: skip
    return f"{diff.difference:+.1f}", f"[{diff.low:+.1f}, {diff.high:+.1f}]", f"{diff.p_value:.3f}"


def _difference(reps: Mapping[_Key, np.ndarray | None], totals: Mapping[_Key, float], a: _Key, b: _Key) -> str:
    left, right = reps.get(a), reps.get(b)
    if left is None or right is None or len(left) != len(right):
        return "n/a"
    diff = paired_difference(totals[a], totals[b], left, right)
    return f"{diff.difference:+.1f} [{diff.low:+.1f}, {diff.high:+.1f}] p={diff.p_value:.3f}"


def _span(span: tuple[float, float, float] | None) -> str:
    if span is None or math.isnan(span[0]):
        return "n/a"
    estimate, low, high = span
    return f"{fmt(estimate, 1)} [{fmt(low, 1)}, {fmt(high, 1)}]" if not math.isnan(low) else fmt(estimate, 1)
