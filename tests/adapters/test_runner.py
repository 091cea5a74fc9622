"""``InProcessRunner``: tasks run in the calling process, each writing the log a task process would."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest
from opencompass.utils import get_logger

from llmp_opencompass.adapters.runner import InProcessRunner


class FakeTask:
    """A task that logs, prints, writes to stderr and (when asked) fails, as an evaluation task may."""

    def __init__(self, cfg: dict) -> None:
        self.cfg = cfg
        self.name = cfg["name"]

    def get_log_path(self, file_extension: str) -> str:
        return str(Path(self.cfg["work_dir"]) / "logs" / "eval" / f"{self.name}.{file_extension}")

    def run(self) -> None:
        get_logger().info(f"evaluating {self.name}")
        print(f"printed by {self.name}")
        sys.stderr.write(f"progress of {self.name}\n")  # as progress bars and warnings do
        if self.cfg["fail"]:
            raise RuntimeError("1 evaluation pairs failed: [prompt-m/llmp-a-cloze]")


def _tasks(tmp_path: Path) -> list[dict]:
    return [dict(name=n, work_dir=str(tmp_path), fail=n == "broken") for n in ("broken", "fine")]


class Console(logging.Handler):
    """Stands for the console: collects what reaches the OpenCompass logger's own handlers."""

    def __init__(self) -> None:
        super().__init__(level=logging.INFO)  # as OpenCompass's console
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def test_each_task_logs_to_its_file_and_a_failure_fails_only_its_task(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    logger, console = get_logger(), Console()
    logger.addHandler(console)
    try:
        runner = InProcessRunner(task=dict(type=f"{__name__}.FakeTask"))
        assert runner.launch(_tasks(tmp_path)) == [("broken", 1), ("fine", 0)]
    finally:
        logger.removeHandler(console)
    broken = (tmp_path / "logs" / "eval" / "broken.out").read_text()
    assert "evaluating broken" in broken and "printed by broken" in broken and "progress of broken" in broken
    assert "Traceback" in broken and "1 evaluation pairs failed" in broken
    fine = (tmp_path / "logs" / "eval" / "fine.out").read_text()
    assert "evaluating fine" in fine and "time elapsed" in fine and "broken" not in fine
    shown = capsys.readouterr()
    assert "printed by" not in shown.out and "progress of" not in shown.err
    assert [line.split("\n")[0] for line in console.lines] == ["task broken fail, see"]


def test_debug_runs_on_the_console_and_stops_at_a_failure(tmp_path: Path) -> None:
    runner = InProcessRunner(task=dict(type=f"{__name__}.FakeTask"), debug=True)
    with pytest.raises(RuntimeError, match="evaluation pairs failed"):
        runner.launch(_tasks(tmp_path))
    assert not (tmp_path / "logs").exists()
