"""The outcome of checking a character folder: its problems, collected rather than raised."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["Problem", "ValidationReport"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a folder."""

    path: Path
    """The file (or folder) at fault."""
    message: str
    """What is wrong and how to fix it."""

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of :func:`validate_folder`."""

    folder: Path
    """The folder checked."""
    problems: tuple[Problem, ...] = ()
    """Everything wrong, in the order checked."""
    checked: tuple[str, ...] = ()
    """The parts found and checked (of :data:`PARTS`)."""
    notes: tuple[str, ...] = ()
    """Remarks that are not problems (e.g. unwritten Open-Ended placeholders)."""

    @property
    def ok(self) -> bool:
        """True when there is no problem."""
        return not self.problems

    def format(self) -> str:
        """A report for people: a verdict line, then one line per problem and note."""
        parts = ", ".join(self.checked) or "nothing"
        head = f"{self.folder}: " + (
            f"ok (checked {parts})" if self.ok else f"{len(self.problems)} problem(s) (checked {parts})"
        )
        return "\n".join([head, *(f"  - {p}" for p in self.problems), *(f"  note: {n}" for n in self.notes)])
