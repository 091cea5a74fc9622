"""``llmp-opencompass observer export``: the Open-Ended answers of a run, as CSV for human raters.

WORKDIR is the ``-w`` directory of an ``opencompass configs/llmp_observer.py`` run (its
latest timestamped run is used) or one timestamped run. One row per (method,
character, item) with the scenario and the simulacrum's answer, plus empty ``rating``
and ``rater_notes`` columns for the raters.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import ConfigError
from ..experiments.observer import find_run_dir, read_answers, write_answers_csv

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``observer`` subcommand (``observer export``)."""
    parser = subparsers.add_parser("observer", help="observer report: export Open-Ended answers for raters")
    actions = parser.add_subparsers(dest="observer_command", metavar="ACTION", required=True)
    export = actions.add_parser(
        "export", help="write a run's Open-Ended answers as CSV", description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip
    export.add_argument("workdir", type=Path, help="opencompass -w directory, or one timestamped run in it")
    export.add_argument("--out", type=Path, required=True, help="CSV file to write")
    export.set_defaults(func=_export)


def _export(args: argparse.Namespace) -> int:
    run_dir = find_run_dir(args.workdir)
    answers = read_answers(run_dir)
    if not answers:
        raise ConfigError(f"{run_dir} has no llmp-observer-* predictions; was it a configs/llmp_observer.py run?")
    write_answers_csv(answers, args.out)
    print(f"wrote {len(answers)} answers from {run_dir} to {args.out}")
    return 0
