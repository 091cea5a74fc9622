"""Where the wall time of one ``opencompass`` run went, read from its work directory.

OpenCompass leaves a trace of each phase: the run's config dump (``configs/``: the folder
changes when the dump starts, the file when it ends), one log per task
(``logs/infer/**/*.out``, ``logs/eval/**/*.out``: the file changes last when the task
ends, and this package's task program logs ``imports and config: X s`` and
``time elapsed: Y s``, so the task started X + Y seconds before; a task run in the
``opencompass`` process logs only Y), and the summary. From these and the launch and exit
times:

- start-up and config: OpenCompass's start-up (its imports) and the config's parse (the
  builders), until the dump starts;
- config dump;
- partition and launch: until the first inference task starts;
- inference: first task start to last task end, of which the tasks' imports (the longest);
- between stages: the evaluation's partition and launch;
- evaluation: likewise;
- summary and exit: from the last evaluation task's end to the exit.

A run of OpenCompass's own tasks (without the ``imports and config`` line) shows its stages
from the previous phase's end. Times are file times: a few milliseconds of resolution.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Breakdown", "Stage", "read_breakdown"]

_IMPORTS = re.compile(r"imports and config: ([0-9.]+)s")
_ELAPSED = re.compile(r"time elapsed: ([0-9.]+)s")


@dataclass(frozen=True)
class Stage:
    """The tasks of one stage."""

    tasks: int
    """Task processes."""
    start: float
    """When the first started (seconds since the epoch)."""
    end: float
    """When the last ended."""
    imports: float | None
    """The longest start-up of its tasks (imports and config), when logged."""

    @property
    def wall(self) -> float:
        return self.end - self.start


@dataclass(frozen=True)
class Breakdown:
    """The phases of one run, in seconds (see the module docstring)."""

    startup: float
    dump: float
    launch: float
    infer: Stage | None
    between: float
    eval: Stage | None
    summary: float

    def describe(self) -> str:
        """One line per phase group."""
        parts = [f"start-up and config {self.startup:.1f} s", f"config dump {self.dump:.1f} s",
                 f"partition and launch {self.launch:.1f} s"]  # fmt: skip
        for name, stage in (("inference", self.infer), ("evaluation", self.eval)):
            if stage is None:
                parts.append(f"{name}: no task")
                continue
            imports = f"imports {stage.imports:.1f} s, " if stage.imports is not None else ""
            work = stage.wall - (stage.imports or 0.0)
            parts.append(f"{name} ({stage.tasks} task{'s' if stage.tasks != 1 else ''}): {imports}work {work:.1f} s")
            if name == "inference":
                parts.append(f"between stages {self.between:.1f} s")
        parts.append(f"summary and exit {self.summary:.1f} s")
        return " | ".join(parts)


def read_breakdown(work_dir: Path, launched: float, exited: float) -> Breakdown:
    """The phases of the run written to ``work_dir`` (``-w``), launched and exited at these
    times (``time.time()``)."""
    run = max(p for p in Path(work_dir).iterdir() if p.is_dir())  # the <timestamp> folder
    configs = run / "configs"
    dump_start = configs.stat().st_mtime
    dump_end = max(p.stat().st_mtime for p in configs.iterdir())
    infer = _stage(run / "logs" / "infer", dump_end)
    after_infer = infer.end if infer else dump_end
    evaluation = _stage(run / "logs" / "eval", after_infer)
    last = evaluation.end if evaluation else after_infer
    return Breakdown(
        startup=dump_start - launched,
        dump=dump_end - dump_start,
        launch=(infer.start if infer else dump_end) - dump_end,
        infer=infer,
        between=(evaluation.start if evaluation else after_infer) - after_infer,
        eval=evaluation,
        summary=exited - last,
    )


def _stage(logs: Path, previous_end: float) -> Stage | None:
    files = sorted(logs.rglob("*.out")) if logs.is_dir() else []
    if not files:
        return None
    starts, ends, imports = [], [], []
    for path in files:
        end = path.stat().st_mtime
        text = path.read_text(encoding="utf-8", errors="replace")
        took, elapsed = _IMPORTS.search(text), _ELAPSED.search(text)
        ends.append(end)
        if took:
            imports.append(float(took.group(1)))
        if elapsed:
            starts.append(end - float(elapsed.group(1)) - (float(took.group(1)) if took else 0.0))
    start = min(starts) if len(starts) == len(files) else previous_end
    return Stage(len(files), start, max(ends), max(imports) if len(imports) == len(files) else None)
