"""The report's PNG plots, drawn headless (matplotlib's ``Agg`` backend).

- ``selfreport.png``: points out of 50 per character, one bar per method column;
- ``bandwagon.png``: conformity under group pressure vs the control, per method, with
  Asch's human rate as a line;
- ``jung.png``: per (method, character), the predicted function scores in the true
  order (F1 first), with the true rank beside them.

Each function returns the written path, or None when its results are absent.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from ..experiments.bandwagon import HUMAN_BASELINE
from .coverage import character_of, covered_mean, expected_items
from .results import DatasetResult
from .tables import character_name, character_totals, selfreport_points
from .uncertainty import total_intervals

__all__ = ["bandwagon_plot", "jung_plot", "selfreport_plot"]

_DPI = 100


def _save(figure: plt.Figure, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.tight_layout()
    figure.savefig(path, dpi=_DPI, format="png")
    plt.close(figure)
    return path


def _grouped_bars(
    axes: plt.Axes,
    labels: Sequence[str],
    series: dict[str, list[float]],
    errors: dict[str, list[tuple[float, float]]] | None = None,
) -> None:
    """One bar per value, with its interval (low, high) as an error bar when ``errors`` has a finite
    one; a NaN (no result, or a mean over an incomplete set) gets no bar but an "n/a" mark at the
    foot of its place, never a bar of height 0."""
    width = 0.8 / max(len(series), 1)
    for i, (name, values) in enumerate(series.items()):
        positions = [x + (i - (len(series) - 1) / 2) * width for x in range(len(labels))]
        spans = (errors or {}).get(name) or [(math.nan, math.nan)] * len(values)
        drawn = [(p, v, s) for p, v, s in zip(positions, values, spans, strict=True) if not math.isnan(v)]
        bars = axes.bar([p for p, _, _ in drawn], [v for _, v, _ in drawn], width, label=name)
        bounded = [(p, v, s) for p, v, s in drawn if not math.isnan(s[0])]
        if bounded:
            axes.errorbar([p for p, _, _ in bounded], [v for _, v, _ in bounded], fmt="none", ecolor="black",
                          capsize=2, elinewidth=0.8,
                          yerr=[[v - s[0] for _, v, s in bounded], [s[1] - v for _, v, s in bounded]])  # fmt: skip
        for position in (p for p, v in zip(positions, values, strict=True) if math.isnan(v)):
            axes.text(position, 0, "n/a", rotation=90, ha="center", va="bottom", fontsize="x-small",
                      color=bars.patches[0].get_facecolor() if bars.patches else "gray")  # fmt: skip
    axes.set_xticks(range(len(labels)), labels, rotation=30, ha="right")
    axes.legend(fontsize="small")


def selfreport_plot(
    results: Sequence[DatasetResult], path: Path, pairs: Iterable[tuple[str, str]] | None = None
) -> Path | None:
    """Method comparison per character, with 95% intervals as error bars (a missing questionnaire leaves
    its bar out, marked n/a; the characters of the run's config ``pairs`` without any result are shown
    as n/a too)."""
    cells = selfreport_points(results)
    if not cells:
        return None
    slugs = list(dict.fromkeys(slug for slug, _ in cells))
    slugs += sorted(expected_items(results, pairs, "selfreport", character_of) - set(slugs))  # type: ignore[arg-type]
    columns = list(dict.fromkeys(column for _, column in cells))
    totals = character_totals(cells)
    series = {column: [totals.get((slug, column), math.nan) for slug in slugs] for column in columns}
    spans = total_intervals(results, pairs)
    errors = {c: [spans.get((s, c), (0, math.nan, math.nan))[1:] for s in slugs] for c in columns}
    figure, axes = plt.subplots(figsize=(max(6, 1.2 * len(slugs) + 2), 4))
    _grouped_bars(axes, [character_name(s) for s in slugs], series, errors)  # type: ignore[arg-type]
    axes.set_ylim(0, 50)
    axes.set_ylabel("points (out of 50)")
    axes.set_title("Human Simulacra self-report by method")
    return _save(figure, path)


def bandwagon_plot(
    results: Sequence[DatasetResult], path: Path, pairs: Iterable[tuple[str, str]] | None = None
) -> Path | None:
    """Mean conformity over the characters, group vs control, per method; the human rate as a line.
    A mean is drawn only when every character of the run has a rate (see :mod:`.coverage`)."""
    found = [(r.name.condition, r) for r in results if r.name and r.name.experiment == "bandwagon"]
    if not found:
        return None
    methods = list(dict.fromkeys(r.method for _, r in found))
    slugs = expected_items(results, pairs, "bandwagon", character_of)

    def mean(condition: str, method: str) -> float:
        chosen = [r for c, r in found if (c, r.method) == (condition, method)]
        rates = {character_of(r): r.metric("critical_group_rate") for r in chosen}
        return covered_mean(rates, slugs).value

    series = {condition: [mean(condition, m) for m in methods] for condition in ("group", "control")}
    figure, axes = plt.subplots(figsize=(max(5, 1.5 * len(methods) + 2), 4))
    _grouped_bars(axes, methods, series)
    axes.axhline(HUMAN_BASELINE.critical_group_rate, color="black", linestyle="--", label="human (Asch)")
    axes.legend(fontsize="small")
    axes.set_ylim(0, 100)
    axes.set_ylabel("critical trials with the group's line (%)")
    axes.set_title("Conformity: group pressure vs control vs humans")
    return _save(figure, path)


def jung_plot(results: Sequence[DatasetResult], path: Path) -> Path | None:
    """One panel per (method, character): predicted scores in true order, true rank on a second axis."""
    panels = [
        (r.name.slug, r)
        for r in results
        if r.name and r.name.experiment == "jung" and isinstance(r.extra.get("profile"), dict)
    ]
    if not panels:
        return None
    count = len(panels)
    cols = min(3, count)
    rows = math.ceil(count / cols)
    figure, grid = plt.subplots(rows, cols, figsize=(4.5 * cols, 3.2 * rows), squeeze=False)
    for axes, (slug, result) in zip(grid.flat, panels, strict=False):
        profile: dict = result.extra["profile"]  # type: ignore[assignment]
        order = list(profile["true_order"])
        axes.bar(order, [profile["function_scores"][f] for f in order], color="tab:blue", label="predicted score")
        rank = axes.twinx()
        rank.plot(order, [len(order) - i for i in range(len(order))], "o--", color="tab:orange", label="true rank")
        rank.set_yticks([])
        axes.set_title(
            f"{result.method}: {character_name(slug)} (tau {result.metric('kendall_tau'):.2f})", fontsize="small"
        )
        axes.tick_params(axis="x", labelsize="small")
    for axes in list(grid.flat)[count:]:
        axes.axis("off")
    figure.suptitle("Jung function profiles: predicted scores in the true order (F1 first)")
    return _save(figure, path)
