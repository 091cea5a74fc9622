"""``llmp-opencompass report``: tables and plots of an OpenCompass work directory.

- ``results``: find the run, read ``results/<model>/<dataset>.json`` (no OpenCompass import);
- ``tables``: the self-report, usage, bandwagon, Jung and observer tables;
- ``plots``: PNGs drawn headless with matplotlib;
- ``document``: ``report.md`` and the same as ``report.html``;
- ``cli``: the subcommand.
"""

from .document import ReportFiles, markdown_table, render_html, write_report
from .results import DatasetResult, ReportError, find_run_dir, read_results
from .tables import Table

__all__ = [
    "DatasetResult",
    "ReportError",
    "ReportFiles",
    "Table",
    "find_run_dir",
    "markdown_table",
    "read_results",
    "render_html",
    "write_report",
]
