"""Assemble the report: Markdown with tables and plots, and the same content as HTML.

The HTML is the Markdown rendered by ``markdown-it-py`` (CommonMark plus tables; raw
HTML off, so cell text cannot inject markup), inside a small standalone page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt

from .plots import bandwagon_plot, jung_plot, selfreport_plot
from .results import DatasetResult, expected_pairs, find_run_dir, read_results
from .tables import (
    Table,
    bandwagon_table,
    failed_table,
    jung_table,
    missing_table,
    observer_table,
    selfreport_tables,
    usage_table,
)
from .uncertainty import comparison_tables, interval_table

__all__ = ["ReportFiles", "markdown_table", "render_html", "write_report"]

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>
body {{ font-family: sans-serif; max-width: 70em; margin: 2em auto; padding: 0 1em; }}
table {{ border-collapse: collapse; margin: 1em 0; }}
th, td {{ border: 1px solid #bbb; padding: 0.3em 0.6em; text-align: right; }}
th:first-child, td:first-child {{ text-align: left; }}
img {{ max-width: 100%; }}
</style>
</head>
<body>
{body}
</body>
</html>
"""
_TITLE = "Human Simulacra report"
_Pairs = Iterable[tuple[str, str]] | None
_Table = Callable[[Sequence[DatasetResult], _Pairs], Table | None]
_Plot = Callable[[Sequence[DatasetResult], Path, _Pairs], "Path | None"]
_SECTIONS: tuple[tuple[_Table, _Plot | None, str], ...] = (
    (usage_table, None, ""),
    (lambda results, pairs: bandwagon_table(results), bandwagon_plot, "bandwagon.png"),
    (lambda results, pairs: jung_table(results), lambda results, path, pairs: jung_plot(results, path), "jung.png"),
    (lambda results, pairs: observer_table(results), None, ""),
    (lambda results, pairs: failed_table(results), None, ""),
)
"""The sections after the self-report, in order: table, its plot (if any) and the plot's file name."""


@dataclass(frozen=True)
class ReportFiles:
    """What ``write_report`` wrote."""

    run_dir: Path
    """The OpenCompass run reported on."""
    markdown: Path
    """``report.md``."""
    html: Path
    """``report.html`` (same content)."""
    plots: tuple[Path, ...]
    """The PNGs, beside the reports."""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown_table(table: Table) -> str:
    """A table section: heading, note, GitHub-style table."""
    lines = [f"## {table.title}", ""]
    if table.note:
        lines += [table.note, ""]
    lines.append("| " + " | ".join(map(_cell, table.header)) + " |")
    lines.append("|" + "|".join("---" for _ in table.header) + "|")
    lines += ["| " + " | ".join(map(_cell, row)) + " |" for row in table.rows]
    return "\n".join(lines) + "\n"


def render_html(markdown: str, title: str = _TITLE) -> str:
    """A standalone HTML page with ``markdown`` rendered."""
    body = MarkdownIt("commonmark", {"html": False}).enable("table").render(markdown)
    return _PAGE.format(title=title, body=body)


def _image(path: Path | None, alt: str) -> str:
    return f"![{alt}]({path.name})\n" if path else ""


def write_report(workdir: Path, out_dir: Path | None = None) -> ReportFiles:
    """Report on ``workdir`` (a run, or the -w directory: its latest run) into ``out_dir``
    (default ``<run>/report``).

    Raises:
        ReportError: no run or no results (see :mod:`.results`).
    """
    run_dir = find_run_dir(workdir)
    results = read_results(run_dir)
    pairs = expected_pairs(run_dir)  # what the run should have: every mean must cover it
    out = out_dir or run_dir / "report"
    out.mkdir(parents=True, exist_ok=True)
    sections = [f"# {_TITLE}\n", f"Run: `{run_dir}` ({len(results)} results).\n"]
    plots: list[Path] = []
    selfreport = selfreport_tables(results, pairs)
    if selfreport:
        plot = selfreport_plot(results, out / "selfreport.png", pairs)
        spans, comparisons = interval_table(results, pairs), comparison_tables(results, pairs)
        sections += [
            markdown_table(selfreport[0]),
            _image(plot, "Self-report points by method"),
            markdown_table(spans) if spans else "",
            *(markdown_table(t) for t in comparisons or ()),
            markdown_table(selfreport[1]),
        ]
        plots += [plot] if plot else []
    for build, draw, name in _SECTIONS:
        table = build(results, pairs)
        if table is None:
            continue
        plot = draw(results, out / name, pairs) if draw else None
        sections += [markdown_table(table), _image(plot, table.title)]
        plots += [plot] if plot else []
    missing = missing_table(results, pairs)
    sections += [markdown_table(missing)] if missing else []
    markdown = "\n".join(s for s in sections if s)
    md_path, html_path = out / "report.md", out / "report.html"
    md_path.write_text(markdown, encoding="utf-8")
    html_path.write_text(render_html(markdown), encoding="utf-8")
    return ReportFiles(run_dir, md_path, html_path, tuple(plots))
