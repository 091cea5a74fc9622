"""The bandwagon summary: conformity per method under group pressure and in the control,
next to Asch's human baseline.

Rows (one column per method, plus the ``human (Asch)`` column):

- ``llmp-bandwagon-<condition>-conformity``: mean over characters of ``critical_group_rate``;
- ``llmp-bandwagon-<condition>-conformed-once``: mean of ``conformed_at_least_once``;
- ``llmp-bandwagon-<condition>-critical-errors``: mean of ``critical_wrong_rate``;
- ``llmp-bandwagon-<condition>-neutral-correct``: mean of ``neutral_correct_rate``;
- ``llmp-bandwagon-<condition>-unparsed``: total unparsed replies;
- ``llmp-bandwagon-<slug>-<condition>``: one character's ``critical_group_rate``.

OpenCompass's ``DefaultSummarizer`` shows model results only, so
:class:`BandwagonSummarizer` adds the human column to its table (text, CSV and
Markdown summaries); rows without a human value show "-".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from opencompass.summarizers import DefaultSummarizer

from ...experiments.bandwagon import CONDITIONS, HUMAN_BASELINE
from ...names import bandwagon_abbr

__all__ = [
    "HUMAN_COLUMN",
    "BandwagonSummarizer",
    "bandwagon_summarizer",
    "human_rows",
    "ROWS",
]

HUMAN_COLUMN = "human (Asch)"
ROWS: dict[str, tuple[str, str]] = {
    "conformity": ("critical_group_rate", "naive_average"),
    "conformed-once": ("conformed_at_least_once", "naive_average"),
    "critical-errors": ("critical_wrong_rate", "naive_average"),
    "neutral-correct": ("neutral_correct_rate", "naive_average"),
    "unparsed": ("unparsed", "sum"),
}
"""Aggregate row suffix -> (result metric averaged or summed over characters, group metric)."""


def human_rows() -> dict[str, str]:
    """The human column's values, by row (Asch 1951/1956; see ``HumanBaseline``)."""
    baseline = HUMAN_BASELINE
    return {
        "llmp-bandwagon-group-conformity": f"{baseline.critical_group_rate:.2f}",
        "llmp-bandwagon-group-conformed-once": f"{baseline.conformed_at_least_once:.2f}",
        "llmp-bandwagon-control-conformity": baseline.control_wrong_rate,
        "llmp-bandwagon-control-critical-errors": baseline.control_wrong_rate,
    }


def bandwagon_summarizer(slugs: Sequence[str]) -> dict:
    """The ``BandwagonSummarizer`` config for the given character slugs."""
    groups, rows = [], []
    for suffix, (metric, group_metric) in ROWS.items():
        for condition in CONDITIONS:
            name = f"llmp-bandwagon-{condition}-{suffix}"
            subsets = [(bandwagon_abbr(s, condition), metric) for s in slugs]
            groups.append(dict(name=name, subsets=subsets, **({"metric": "sum"} if group_metric == "sum" else {})))
            rows.append((name, group_metric))
    for slug in slugs:
        rows += [(bandwagon_abbr(slug, c), "critical_group_rate") for c in CONDITIONS]
    return dict(
        type=f"{__package__}.summary.BandwagonSummarizer",
        dataset_abbrs=rows,
        summary_groups=groups,
        human=human_rows(),
    )


class BandwagonSummarizer(DefaultSummarizer):
    """``DefaultSummarizer`` with a last column holding the human baseline of some rows."""

    def __init__(
        self,
        config: object,
        dataset_abbrs: list | None = None,
        summary_groups: list | None = None,
        prompt_db: object = None,
        human: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(config, dataset_abbrs=dataset_abbrs, summary_groups=summary_groups or [], prompt_db=prompt_db)
        self.human = dict(human or {})

    def _format_table(self, *args: object, **kwargs: object) -> list[list[str]]:
        table = super()._format_table(*args, **kwargs)
        header, *rows = table
        return [[*header, HUMAN_COLUMN], *([*row, self.human.get(row[0], "-")] for row in rows)]
