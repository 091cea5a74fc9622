"""``SelfReportSummarizer``: OpenCompass's summary table with a 95% interval under every character's
total and under the overall mean.

Each self-report result carries the bootstrap replicates of its points (see
:mod:`.evaluator`). A character's total (the sum of its three questionnaires) gets the
interval of the summed replicates, the overall mean that of the mean over characters (a
stratified bootstrap: each questionnaire's items are resampled on their own). The interval
rows are named ``<row> (95% CI)`` and show ``[low; high]``; they are added below their row,
which keeps its number as before, and show "-" where a result is missing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from opencompass.summarizers import DefaultSummarizer

from ...bootstrap import interval
from .evaluator import BOOTSTRAP_KEY

__all__ = ["CI_SUFFIX", "SelfReportSummarizer"]

CI_SUFFIX = " (95% CI)"


class SelfReportSummarizer(DefaultSummarizer):
    """``DefaultSummarizer`` plus interval rows under the rows named in ``intervals``."""

    def __init__(
        self,
        config: object,
        dataset_abbrs: list | None = None,
        summary_groups: list | None = None,
        prompt_db: object = None,
        intervals: Sequence[str] = (),
    ) -> None:
        super().__init__(config, dataset_abbrs=dataset_abbrs, summary_groups=summary_groups or [], prompt_db=prompt_db)
        self.intervals = tuple(intervals)
        self._raw: dict = {}

    def _pick_up_results(self) -> tuple:
        results = super()._pick_up_results()
        self._raw = results[0]
        return results

    def _format_table(self, *args: object, **kwargs: object) -> list[list[str]]:
        table = super()._format_table(*args, **kwargs)
        header, *rows = table
        out = [header]
        for row in rows:
            out.append(row)
            if row[0] in self.intervals:
                out.append([f"{row[0]}{CI_SUFFIX}", "-", "ci95", "-", *(self._cell(m, row[0]) for m in header[4:])])
        return out

    def _cell(self, model: str, name: str) -> str:
        replicates = self._replicates(model, name)
        if replicates is None:
            return "-"
        span = interval(float("nan"), replicates)
        return f"[{span.low:.2f}; {span.high:.2f}]"  # no comma: the summary is also a CSV

    def _replicates(self, model: str, name: str) -> np.ndarray | None:
        result = self._raw.get(model, {}).get(name)
        if isinstance(result, Mapping) and isinstance(result.get(BOOTSTRAP_KEY), list):
            return np.asarray(result[BOOTSTRAP_KEY], dtype=np.float64)
        group = next((g for g in self.summary_groups if g["name"] == name), None)
        if group is None:
            return None
        parts = [self._replicates(model, subset[0] if isinstance(subset, list | tuple) else subset)
                 for subset in group["subsets"]]  # fmt: skip
        if not parts or any(p is None for p in parts):
            return None
        stacked = np.stack(parts)  # type: ignore[arg-type]
        return stacked.sum(axis=0) if group.get("metric") == "sum" else stacked.mean(axis=0)
