"""The progress lines of ``ProgressLocalRunner``: they wait for every task's totals, print what
changed, and always end with the final counts."""

from __future__ import annotations

from pathlib import Path

import pytest

from llmp_opencompass.adapters.progress_runner import _Monitor
from llmp_opencompass.run_progress import ProgressFile

pytestmark = pytest.mark.slow  # imports OpenCompass


def _lines(capsys: pytest.CaptureFixture[str]) -> list[str]:
    return [line for line in capsys.readouterr().out.splitlines() if line.startswith("[llmp] ")]


def test_lines_wait_for_every_task_then_follow_the_answers(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    monitor = _Monitor(tmp_path, interval=1.0, expected_tasks=2)
    first = ProgressFile(tmp_path / "a.json", {"prompt-m": 15})
    first.add("prompt-m")
    first.close()
    monitor.show(final=False)
    assert _lines(capsys) == []  # the other task has not counted its answers yet: the total would grow
    ProgressFile(tmp_path / "b.json", {"prompt-m": 15})
    monitor.show(final=False)
    (line,) = _lines(capsys)
    assert line.startswith("[llmp] prompt-m: 1/30 answered (3%) in ")
    monitor.show(final=False)
    assert _lines(capsys) == []  # nothing changed
    monitor.show(final=True)
    assert _lines(capsys) == []  # the final counts were already shown
    first.add("prompt-m")
    first.close()
    monitor.show(final=True)
    assert [line.split(" in ")[0] for line in _lines(capsys)] == ["[llmp] prompt-m: 2/30 answered (7%)"]
