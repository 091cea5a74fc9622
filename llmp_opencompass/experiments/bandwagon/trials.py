"""The stimuli: 18 line-judgement trials, shipped as ``data/bandwagon_trials.json``.

Each trial shows a standard line and three comparison lines (lengths in inches);
exactly one comparison line has the standard's length. On a *critical* trial the
group names a wrong line; on a *neutral* one it names the correct line. The order
is the reference script's: trials 10-18 repeat 1-9, giving 12 critical and 6
neutral trials.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ...errors import MalformedDataFileError

__all__ = ["LINES", "Trial", "format_length", "load_trials", "TRIALS_RESOURCE"]

LINES: tuple[int, ...] = (1, 2, 3)
"""The comparison lines' numbers."""
TRIALS_RESOURCE = "bandwagon_trials.json"
"""File name of the packaged stimuli in ``llmp_opencompass.resources`` (the project's ``data/``)."""


def format_length(inches: float) -> str:
    """A length as the subject reads it: always two decimals, ``10.00 inches``, ``8.75 inches``.

    Two decimals everywhere, so that no line stands out by how its length is written.
    """
    return f"{inches:.2f} inches"


@dataclass(frozen=True)
class Trial:
    """One line-judgement trial."""

    number: int
    """Position in the session, from 1."""
    standard: float
    """Length of the standard line, in inches."""
    lines: tuple[float, float, float]
    """Lengths of comparison lines 1, 2 and 3, in inches."""
    correct: int
    """The comparison line (1-3) as long as the standard."""
    group: int
    """The line (1-3) that every other participant names."""

    def __post_init__(self) -> None:
        matching = [n for n, length in zip(LINES, self.lines, strict=True) if length == self.standard]
        if matching != [self.correct]:
            raise ValueError(f"trial {self.number}: line {self.correct} should be the only one as long as the standard")
        if self.group not in LINES:
            raise ValueError(f"trial {self.number}: group line {self.group} is not one of {LINES}")

    @property
    def critical(self) -> bool:
        """True when the group names a wrong line."""
        return self.group != self.correct

    def to_dict(self) -> dict:
        """The trial as JSON-ready data (the file's format)."""
        return {
            "trial": self.number,
            "standard": self.standard,
            "lines": list(self.lines),
            "correct": self.correct,
            "group": self.group,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Trial:
        """Inverse of :meth:`to_dict`."""
        lines = tuple(float(x) for x in data["lines"])
        if len(lines) != len(LINES):
            raise ValueError(f"trial {data.get('trial')}: expected {len(LINES)} comparison lines, got {len(lines)}")
        return cls(int(data["trial"]), float(data["standard"]), lines, int(data["correct"]), int(data["group"]))  # type: ignore[arg-type]


def load_trials(path: Path | None = None) -> tuple[Trial, ...]:
    """The trials of ``path`` (default: the packaged stimuli), in session order."""
    source = path if path is not None else resources.files("llmp_opencompass.resources") / TRIALS_RESOURCE
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
        trials = tuple(Trial.from_dict(item) for item in data["trials"])
    except (OSError, KeyError, TypeError, ValueError) as error:
        raise MalformedDataFileError(f"cannot read the bandwagon trials from {source}: {error}") from error
    numbers = [t.number for t in trials]
    if numbers != list(range(1, len(trials) + 1)):
        raise MalformedDataFileError(f"{source}: trials must be numbered 1..{len(trials)} in order, got {numbers}")
    return trials
