"""The simulacra's Open-Ended answers of an OpenCompass run, as a CSV for human raters.

Reads ``predictions/<model>/llmp-observer-<slug>.json`` of a run directory (the
reference of each prediction names the character, the item and the scenario) and
writes one row per answer with empty ``rating`` and ``rater_notes`` columns.
"""

from __future__ import annotations

import csv
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from ...workdir import find_run_dir as find_workdir_run

__all__ = ["ObserverAnswer", "CSV_COLUMNS", "find_run_dir", "read_answers", "write_answers_csv", "DATASET_PREFIX"]

DATASET_PREFIX = "llmp-observer-"
CSV_COLUMNS = ("character", "method", "item", "scenario", "answer", "rating", "rater_notes")


@dataclass(frozen=True)
class ObserverAnswer:
    """One simulacrum's answer to one Open-Ended item."""

    character: str
    """Name of the character."""
    method: str
    """The OpenCompass model abbr, ``<method>-<served model>``."""
    item: int
    """1-based item number in its file."""
    scenario: str
    """The situation, verbatim."""
    answer: str
    """What the simulacrum said."""


def find_run_dir(workdir: Path) -> Path:
    """``workdir`` itself when it holds ``predictions/``, else its latest timestamped run that does."""
    return find_workdir_run(workdir, holding="predictions")


def read_answers(run_dir: Path) -> tuple[ObserverAnswer, ...]:
    """Every observer answer of a run, by method, character and item."""
    answers = []
    for path in sorted(run_dir.glob(f"predictions/*/{DATASET_PREFIX}*.json")):
        predictions = json.loads(path.read_text(encoding="utf-8"))
        for entry in predictions.values():
            reference = json.loads(entry["gold"])
            answers.append(
                ObserverAnswer(
                    character=reference["character"],
                    method=path.parent.name,
                    item=int(reference["number"]),
                    scenario=reference["scenario"],
                    answer=str(entry["prediction"]),
                )
            )
    return tuple(sorted(answers, key=lambda a: (a.method, a.character, a.item)))


def write_answers_csv(answers: tuple[ObserverAnswer, ...] | list[ObserverAnswer], out: Path) -> Path:
    """Write the rater CSV (UTF-8, header row, empty rating columns); returns ``out``."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        for answer in answers:
            writer.writerow({**asdict(answer), "rating": "", "rater_notes": ""})
    return out
