"""Summary groups of the self-report: per character (points out of 50), per type, overall.

Rows of the summary table, for each method column:

- ``llmp-<slug>-total``: the character's points, out of 50 (sum over its three types);
- ``llmp-<slug>-<type>``: points of one questionnaire (out of 10, 10 and 30);
- ``llmp-<type>-mean``: mean points of a type over the characters;
- ``llmp-selfreport-mean``: mean points per character, out of 50;
- ``llmp-selfreport-accuracy``: mean accuracy (% items fully right) over all datasets;
- with usage (runs of the config builder): ``llmp-calls-per-question``,
  ``llmp-tokens-per-question`` and ``llmp-rounds-per-question``, the mean LLM calls,
  tokens (prompt + completion) and sequential rounds per answered question.

A group with a missing dataset (a failed task) shows "-" instead of a number.
"""

from __future__ import annotations

from collections.abc import Sequence

from ...names import SELFREPORT_TYPES, character_total_row, selfreport_abbr

__all__ = [
    "selfreport_summary_groups",
    "selfreport_summarizer",
    "usage_summary_groups",
    "OVERALL_MEAN",
    "OVERALL_ACCURACY",
    "USAGE_ROWS",
]

OVERALL_MEAN = "llmp-selfreport-mean"
OVERALL_ACCURACY = "llmp-selfreport-accuracy"
USAGE_ROWS = {
    "llmp-calls-per-question": "calls_per_question",
    "llmp-tokens-per-question": "tokens_per_question",
    "llmp-rounds-per-question": "rounds_per_question",
}
"""Usage rows of the summary and the evaluator metric each averages."""


def selfreport_summary_groups(slugs: Sequence[str], variant: str | None = None) -> list[dict]:
    """The summary groups for the given character slugs (``variant`` for the drop-in datasets)."""
    types, prefix = SELFREPORT_TYPES, f"llmp-{variant}" if variant else "llmp"

    def abbr(slug: str, qtype: str) -> str:
        return selfreport_abbr(slug, qtype, variant)

    groups = [
        dict(name=character_total_row(s, variant), subsets=[(abbr(s, t), "points") for t in types], metric="sum")
        for s in slugs
    ]
    groups += [dict(name=f"{prefix}-{t}-mean", subsets=[(abbr(s, t), "points") for s in slugs]) for t in types]
    groups.append(
        dict(name=f"{prefix}-selfreport-mean", subsets=[(character_total_row(s, variant), "sum") for s in slugs])
    )
    groups.append(
        dict(name=f"{prefix}-selfreport-accuracy", subsets=[(abbr(s, t), "accuracy") for s in slugs for t in types])
    )
    return groups


def usage_summary_groups(slugs: Sequence[str]) -> list[dict]:
    """Mean usage per question over every dataset (they all have 5 items, so a plain mean)."""
    abbrs = [selfreport_abbr(s, t) for s in slugs for t in SELFREPORT_TYPES]
    return [dict(name=row, subsets=[(a, metric) for a in abbrs]) for row, metric in USAGE_ROWS.items()]


def selfreport_summarizer(slugs: Sequence[str], usage: bool = False) -> dict:
    """A ``SelfReportSummarizer`` config listing the rows in a readable order (usage rows last), with a
    95% interval row under the overall mean and under every character's total."""
    rows: list[tuple[str, str]] = [(OVERALL_MEAN, "naive_average"), (OVERALL_ACCURACY, "naive_average")]
    rows += [(f"llmp-{t}-mean", "naive_average") for t in SELFREPORT_TYPES]
    for slug in slugs:
        rows.append((character_total_row(slug), "sum"))
        rows += [(selfreport_abbr(slug, t), "points") for t in SELFREPORT_TYPES]
    groups = selfreport_summary_groups(slugs)
    if usage:
        rows += [(row, "naive_average") for row in USAGE_ROWS]
        groups += usage_summary_groups(slugs)
    intervals = [OVERALL_MEAN, *(character_total_row(s) for s in slugs)]
    return dict(
        type=f"{__package__}.summarizer.SelfReportSummarizer",
        dataset_abbrs=rows,
        summary_groups=groups,
        intervals=intervals,
    )
