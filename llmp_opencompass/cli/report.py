"""``llmp-opencompass report WORKDIR [--out DIR]``: Markdown and HTML report with PNG plots.

WORKDIR is the ``-w`` directory of an ``opencompass`` run of any of this package's
configs, or of a config using the drop-in datasets (its latest timestamped run is
used), or one timestamped run. The report goes to ``<run>/report/`` unless ``--out``
says otherwise: ``report.md``, ``report.html`` and the plots (``selfreport.png``,
``bandwagon.png``, ``jung.png``, each when its results are present).
"""

from __future__ import annotations

import argparse
from pathlib import Path

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``report`` subcommand."""
    parser = subparsers.add_parser(
        "report", help="Markdown/HTML report with plots of an opencompass work directory", description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip
    parser.add_argument("workdir", type=Path, help="opencompass -w directory, or one timestamped run in it")
    parser.add_argument("--out", type=Path, default=None, help="output directory (default: <run>/report)")
    parser.set_defaults(func=_report)


def _report(args: argparse.Namespace) -> int:
    from ..report.document import write_report  # matplotlib is imported only when a report is made

    files = write_report(args.workdir, args.out)
    print(f"report on {files.run_dir}: {files.markdown}, {files.html} and {len(files.plots)} plot(s)")
    return 0
