"""Progress of a run's inference that a person can read: answers of total, per method, time left.

OpenCompass shows one bar per stage that counts finished *tasks*; a task of ours holds
many datasets and sits at 0/2 until its last answer. Each inference task writes what
it has answered to ``<run>/progress/<task>.json`` (:class:`ProgressFile`); the runner
in OpenCompass's main process reads them all (:func:`read_progress`), adds them up per
model abbr (one per method, like the summary's columns) and prints :func:`describe`.

The estimate of the time left assumes the rest goes at the pace so far: remaining
answers / answers per second since the first task began answering.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .files import write_text_atomic

__all__ = [
    "MethodProgress",
    "ProgressFile",
    "TaskProgress",
    "combine",
    "describe",
    "format_duration",
    "progress_dir",
    "read_progress",
]

_MIN_WRITE_INTERVAL = 1.0
"""Seconds between two writes of a task's progress file (the last one is always written)."""


def progress_dir(work_dir: str | Path) -> Path:
    """Where the tasks of a run (OpenCompass's timestamped work directory) write their progress."""
    return Path(work_dir) / "progress"


@dataclass(frozen=True)
class TaskProgress:
    """What one inference task has answered, as its progress file holds it."""

    answered: Mapping[str, int]
    """Answers so far, per model abbr."""
    total: Mapping[str, int]
    """Answers the task will give, per model abbr."""
    started: float
    """When the task began answering (seconds since the epoch)."""
    updated: float
    """When it gave its last answer (``started`` before the first)."""

    def to_json(self) -> str:
        """The file's content."""
        return json.dumps(
            {
                "answered": dict(self.answered),
                "total": dict(self.total),
                "started": self.started,
                "updated": self.updated,
            }
        )

    @classmethod
    def from_json(cls, text: str) -> TaskProgress:
        """Read a file's content."""
        data = json.loads(text)
        return cls(dict(data["answered"]), dict(data["total"]), float(data["started"]), float(data["updated"]))


@dataclass(frozen=True)
class MethodProgress:
    """One model abbr (one summary column) over all tasks."""

    name: str
    """The model abbr, e.g. ``prompt-smollm2``."""
    answered: int
    """Answers so far."""
    total: int
    """Answers of the whole run."""
    elapsed: float
    """Seconds since the first task began answering (until the last answer, once all are in)."""

    @property
    def remaining_seconds(self) -> float | None:
        """Time left at the pace so far; None before the first answer."""
        if self.answered >= self.total:
            return 0.0
        if self.answered == 0 or self.elapsed <= 0:
            return None
        return (self.total - self.answered) * self.elapsed / self.answered


class ProgressFile:
    """A task's progress file, updated as answers come in (thread-safe, at most once a second)."""

    def __init__(self, path: Path, total: Mapping[str, int]) -> None:
        self.path = path
        self._answered = dict.fromkeys(total, 0)
        self._total = dict(total)
        self._started = self._updated = time.time()
        self._written = 0.0
        self._lock = threading.Lock()
        self._write()

    def add(self, name: str) -> None:
        """Count one answer of model ``name``."""
        with self._lock:
            self._answered[name] = self._answered.get(name, 0) + 1
            self._updated = time.time()
            if time.monotonic() - self._written >= _MIN_WRITE_INTERVAL:
                self._write()

    def close(self) -> None:
        """Write the final counts."""
        with self._lock:
            self._write()

    def _write(self) -> None:
        write_text_atomic(self.path, TaskProgress(self._answered, self._total, self._started, self._updated).to_json())
        self._written = time.monotonic()


def read_progress(directory: Path) -> list[TaskProgress]:
    """Every task's progress in ``directory`` (files being replaced or unreadable are skipped)."""
    found = []
    for path in sorted(directory.glob("*.json")):
        try:
            found.append(TaskProgress.from_json(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return found


def combine(tasks: Iterable[TaskProgress], now: float) -> list[MethodProgress]:
    """The tasks' counts added up per model abbr, in order of first appearance."""
    tasks = list(tasks)
    if not tasks:
        return []
    started = min(t.started for t in tasks)
    answered: dict[str, int] = {}
    total: dict[str, int] = {}
    last: dict[str, float] = {}
    for task in tasks:
        for name, count in task.total.items():
            total[name] = total.get(name, 0) + count
            answered[name] = answered.get(name, 0) + task.answered.get(name, 0)
            last[name] = max(last.get(name, started), task.updated)
    return [
        MethodProgress(
            name,
            answered[name],
            total[name],
            max(0.0, (last[name] if answered[name] >= total[name] else now) - started),
        )
        for name in total
    ]


def format_duration(seconds: float) -> str:
    """``"7 min 40 s"``, ``"1 h 5 min"``, ``"12 s"``."""
    seconds = max(0, round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes} min"
    if minutes:
        return f"{minutes} min {secs} s"
    return f"{secs} s"


def _line(name: str, answered: int, total: int, elapsed: float, remaining: float | None) -> str:
    share = 100 * answered / total if total else 100.0
    if answered >= total:
        left = "done"
    elif remaining is None:
        left = "estimating the time left"
    else:
        left = f"about {format_duration(remaining)} left"
    return f"{name}: {answered}/{total} answered ({share:.0f}%) in {format_duration(elapsed)}, {left}"


def describe(methods: list[MethodProgress]) -> list[str]:
    """One line per method and, with several methods, one for the whole run."""
    lines = [_line(m.name, m.answered, m.total, m.elapsed, m.remaining_seconds) for m in methods]
    if len(methods) > 1:
        whole = MethodProgress(
            "all methods",
            sum(m.answered for m in methods),
            sum(m.total for m in methods),
            max(m.elapsed for m in methods),
        )
        lines.append(_line(whole.name, whole.answered, whole.total, whole.elapsed, whole.remaining_seconds))
    return lines
