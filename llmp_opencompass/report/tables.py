"""The report's tables, built from a run's results (each returns None when its results are absent).

- self-report: points out of 50 per character and column (a character's total is shown
  only when all three questionnaires have a result), the 0-100 score, and the accuracy
  by question type;
- usage: LLM calls, tokens and sequential rounds per question (``*_per_question``);
- bandwagon: conformity per method and character, beside Asch's human baseline;
- Jung: rank correlations of the function profile and the top functions;
- observer: Open-Ended answers collected, and the judge's rating when there is one.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..experiments.bandwagon import HUMAN_BASELINE
from ..names import DatasetName, Experiment
from .coverage import COVERAGE_NOTE, character_of, covered_mean, expected_items, questionnaire_of
from .results import DatasetResult

__all__ = [
    "MAX_POINTS",
    "Table",
    "bandwagon_table",
    "character_name",
    "character_totals",
    "failed_table",
    "missing_table",
    "fmt",
    "jung_table",
    "observer_table",
    "selfreport_points",
    "selfreport_tables",
    "usage_table",
]

MAX_POINTS = {"cloze": 10, "single_choice": 10, "multiple_choices": 30}
"""Maximum points of each questionnaire (5 items); 50 per character."""
_TYPES = tuple(MAX_POINTS)
_USAGE = ("calls_per_question", "tokens_per_question", "rounds_per_question")


@dataclass(frozen=True)
class Table:
    """A titled table of already formatted cells."""

    title: str
    """Section heading."""
    header: tuple[str, ...]
    """Column names."""
    rows: tuple[tuple[str, ...], ...]
    """Cells, one tuple per row, as long as ``header``."""
    note: str = ""
    """A sentence shown under the heading."""


def fmt(value: float, digits: int = 2) -> str:
    """A number for a cell; NaN (not computable) is shown as ``n/a``, never as 0."""
    return "n/a" if math.isnan(value) else f"{value:.{digits}f}"


def character_name(slug: str) -> str:
    """``mary_jones`` -> ``Mary Jones``."""
    return slug.replace("_", " ").title()


def _ordered(values: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(values))


def selfreport_points(results: Sequence[DatasetResult]) -> dict[tuple[str, str], dict[str, DatasetResult]]:
    """Self-report results by (character slug, column), then by question type slug."""
    cells: dict[tuple[str, str], dict[str, DatasetResult]] = {}
    for result in results:
        name = result.name
        if name and name.experiment == "selfreport" and name.qtype:
            cells.setdefault((name.slug, result.column), {})[name.qtype] = result
    return cells


def character_totals(cells: dict[tuple[str, str], dict[str, DatasetResult]]) -> dict[tuple[str, str], float]:
    """Points out of 50 per (character slug, column); NaN unless all three questionnaires have a result."""
    return {
        key: sum(types[t].metric("points") for t in _TYPES) if set(types) == set(_TYPES) else math.nan
        for key, types in cells.items()
    }


def selfreport_tables(
    results: Sequence[DatasetResult], pairs: Iterable[tuple[str, str]] | None = None
) -> tuple[Table, Table] | None:
    """(points out of 50 per character, accuracy by question type), or None without self-report results.

    ``pairs``: the (model, dataset) pairs of the run's config; its characters without a result
    get a row of n/a, and every mean must cover them (see :mod:`.coverage`)."""
    cells = selfreport_points(results)
    if not cells:
        return None
    slugs = _ordered([slug for slug, _ in cells])
    slugs += sorted(expected_items(results, pairs, "selfreport", character_of) - set(slugs))  # type: ignore[arg-type]
    columns = _ordered([column for _, column in cells])
    totals = character_totals(cells)
    rows = [(character_name(s), *(fmt(totals.get((s, c), math.nan), 1) for c in columns)) for s in slugs]
    means = [covered_mean({s: totals.get((s, c), math.nan) for s in slugs}, slugs) for c in columns]
    rows.append(("mean (out of 50)", *(m.cell(1) for m in means)))
    rows.append(("score (0-100)", *(m.cell(1, scale=2) for m in means)))
    points = Table(
        "Self-report: points out of 50",
        ("character", *columns),
        tuple(rows),
        "Points as in the paper (Cloze 10, Single_choice 10, Multiple_choices 30); n/a when a questionnaire "
        f"has no result. {COVERAGE_NOTE}",
    )
    accuracy_rows = []
    for qtype in _TYPES:
        values = [{s: t[qtype].metric("accuracy") for (s, c), t in cells.items() if c == col and qtype in t}
                  for col in columns]  # fmt: skip
        accuracy_rows.append((qtype, *(covered_mean(v, slugs).cell(1) for v in values)))
    accuracy = Table(
        "Self-report: accuracy by question type (%)",
        ("question type", *columns),
        tuple(accuracy_rows),
        f"Mean over the characters of the % of items fully right. {COVERAGE_NOTE}",
    )
    return points, accuracy



def usage_table(results: Sequence[DatasetResult], pairs: Iterable[tuple[str, str]] | None = None) -> Table | None:
    """Mean calls, tokens and rounds per question per column, or None when no result reports usage
    (every mean covers every self-report dataset of the run, see :mod:`.coverage`)."""
    with_usage = [r for r in _of(results, "selfreport") if "calls_per_question" in r.metrics]
    if not with_usage:
        return None
    datasets = expected_items(results, pairs, "selfreport", questionnaire_of)
    columns = _ordered([r.column for r in with_usage])

    def mean(column: str, metric: str) -> str:
        values = {questionnaire_of(r): r.metric(metric) for r in with_usage if r.column == column}
        return covered_mean(values, datasets).cell(1)

    rows = [(column, *(mean(column, m) for m in _USAGE)) for column in columns]
    return Table(
        "Calls and tokens per question",
        ("method", "LLM calls", "tokens", "sequential rounds"),
        tuple(rows),
        "Means per answered question over the self-report datasets; n/a when a model reports no usage. "
        + COVERAGE_NOTE.replace("characters", "datasets"),
    )



def _of(results: Sequence[DatasetResult], experiment: Experiment) -> list[DatasetResult]:
    return [r for r in results if r.name and r.name.experiment == experiment]


def _by(results: Sequence[DatasetResult], experiment: Experiment) -> list[tuple[DatasetName, DatasetResult]]:
    return [(r.name, r) for r in _of(results, experiment) if r.name]


def bandwagon_table(results: Sequence[DatasetResult]) -> Table | None:
    """Conformity per (method, character) under group pressure and in the control, plus Asch's humans."""
    found = _by(results, "bandwagon")
    if not found:
        return None
    cell = {(r.method, m.slug, m.condition): r for m, r in found}
    keys = _ordered([(method, slug) for method, slug, _ in cell])

    def get(method: str, slug: str, condition: str, metric: str) -> str:
        result = cell.get((method, slug, condition))
        return fmt(result.metric(metric), 1) if result else "-"

    rows = [
        (
            method,
            character_name(slug),
            get(method, slug, "group", "critical_group_rate"),
            get(method, slug, "control", "critical_group_rate"),
            get(method, slug, "group", "critical_wrong_rate"),
            get(method, slug, "group", "neutral_correct_rate"),
            get(method, slug, "group", "conformed_at_least_once"),
            get(method, slug, "group", "unparsed"),
        )
        for method, slug in keys
    ]
    human = HUMAN_BASELINE
    rows.append(
        (
            "human (Asch)",
            "-",
            fmt(human.critical_group_rate, 0),
            human.control_wrong_rate,
            "-",
            "-",
            fmt(human.conformed_at_least_once, 0),
            "-",
        )
    )
    header = (
        "method",
        "character",
        "conformity, group (%)",
        "same line, control (%)",
        "critical errors, group (%)",
        "neutral correct, group (%)",
        "conformed at least once (%)",
        "unparsed, group",
    )
    return Table(
        "Bandwagon (Asch conformity)",
        header,
        tuple(rows),
        "Conformity: % of answered critical trials answered with the group's wrong line.",
    )


def jung_table(results: Sequence[DatasetResult]) -> Table | None:
    """Kendall tau, Spearman rho, top-1 match and the top functions per (method, character)."""
    found = _by(results, "jung")
    if not found:
        return None
    rows = []
    for match, result in found:
        profile = result.extra.get("profile") if isinstance(result.extra.get("profile"), dict) else {}
        top = ", ".join(list(profile.get("predicted_order", []))[:3]) or "-"  # type: ignore[union-attr]
        true = ", ".join(list(profile.get("true_order", []))[:3]) or "-"  # type: ignore[union-attr]
        rows.append(
            (
                result.method,
                character_name(match.slug),
                fmt(result.metric("kendall_tau")),
                fmt(result.metric("spearman")),
                fmt(result.metric("top1_match"), 0),
                fmt(result.metric("unparsed"), 0),
                top,
                true,
            )
        )
    header = (
        "method",
        "character",
        "Kendall tau",
        "Spearman",
        "top-1 match",
        "unparsed",
        "predicted top 3",
        "true top 3",
    )
    return Table(
        "Jung cognitive functions",
        header,
        tuple(rows),
        "Correlation of the predicted function scores with the character's true order.",
    )


def observer_table(results: Sequence[DatasetResult]) -> Table | None:
    """Answers collected (and the judge's mean rating when judged) per (method, character)."""
    found = _by(results, "observer")
    if not found:
        return None
    judged = any("judge_rating" in r.metrics for _, r in found)
    rows = []
    for match, result in found:
        row = [
            result.method,
            character_name(match.slug),
            fmt(result.metric("n_answers"), 0),
            fmt(result.metric("n_empty"), 0),
        ]
        if judged:
            row.append(fmt(result.metric("judge_rating")))
        rows.append(tuple(row))
    header = ("method", "character", "answers", "empty") + (("judge rating (1-5)",) if judged else ())
    return Table(
        "Observer report (Open-Ended)",
        header,
        tuple(rows),
        "Answers for human raters: `llmp-opencompass observer export`.",
    )


def failed_table(results: Sequence[DatasetResult]) -> Table | None:
    """Results that hold an ``error`` instead of metrics (their evaluation failed)."""
    failed = [r for r in results if "error" in r.extra]
    if not failed:
        return None
    rows = tuple((r.model, r.dataset, str(r.extra["error"])[:200]) for r in failed)
    return Table("Failed evaluations", ("model", "dataset", "error"), rows, "These are left out of every table above.")


def missing_table(results: Sequence[DatasetResult], expected: Iterable[tuple[str, str]] | None) -> Table | None:
    """The (model, dataset) pairs of the run's config that have no result file at all."""
    have = {(r.model, r.dataset) for r in results}
    missing = sorted(set(expected or ()) - have)
    if not missing:
        return None
    return Table(
        "Missing results",
        ("model", "dataset"),
        tuple(missing),
        "The run's config evaluates these, but they have no result file: their task failed or did not run "
        "(see the run's logs/). They count as n/a above, never 0. `opencompass CONFIG -r` finishes them.",
    )
