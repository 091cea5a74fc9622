"""Readable progress: task files added up per method, the time left, the lines people read."""

from __future__ import annotations

from pathlib import Path

import pytest

from llmp_opencompass.run_progress import (
    MethodProgress,
    ProgressFile,
    TaskProgress,
    combine,
    describe,
    format_duration,
    progress_dir,
    read_progress,
)


def test_format_duration() -> None:
    assert [format_duration(s) for s in (0, 12.4, 60, 460, 3900, -3)] == [
        "0 s", "12 s", "1 min 0 s", "7 min 40 s", "1 h 5 min", "0 s",
    ]  # fmt: skip


def test_tasks_add_up_per_method_and_estimate_the_time_left() -> None:
    tasks = [
        TaskProgress({"prompt-m": 10, "blank-m": 5}, {"prompt-m": 80, "blank-m": 20}, started=100.0, updated=150.0),
        TaskProgress({"prompt-m": 10}, {"prompt-m": 85}, started=110.0, updated=160.0),
    ]
    prompt, blank = combine(tasks, now=200.0)
    assert (prompt.name, prompt.answered, prompt.total, prompt.elapsed) == ("prompt-m", 20, 165, 100.0)
    assert prompt.remaining_seconds == pytest.approx(145 * 100 / 20)
    assert blank.remaining_seconds == pytest.approx(15 * 100 / 5)
    assert combine([], now=1.0) == []


def test_a_finished_method_stops_its_clock_and_an_unstarted_one_has_no_estimate() -> None:
    done = TaskProgress({"a": 4}, {"a": 4}, started=0.0, updated=30.0)
    (method,) = combine([done], now=500.0)
    assert method.elapsed == 30.0 and method.remaining_seconds == 0.0
    assert MethodProgress("b", 0, 9, 12.0).remaining_seconds is None


def test_lines_say_answered_of_total_per_method_and_overall() -> None:
    lines = describe([MethodProgress("prompt-m", 37, 165, 130.0), MethodProgress("macm-m", 0, 165, 130.0)])
    assert lines == [
        "prompt-m: 37/165 answered (22%) in 2 min 10 s, about 7 min 30 s left",
        "macm-m: 0/165 answered (0%) in 2 min 10 s, estimating the time left",
        "all methods: 37/330 answered (11%) in 2 min 10 s, about 17 min 9 s left",
    ]
    assert describe([MethodProgress("blank-m", 5, 5, 9.0)]) == ["blank-m: 5/5 answered (100%) in 9 s, done"]


def test_progress_files_round_trip_and_broken_ones_are_skipped(tmp_path: Path) -> None:
    directory = progress_dir(tmp_path)
    assert directory == tmp_path / "progress"
    first = ProgressFile(directory / "a.json", {"prompt-m": 3})
    for _ in range(3):
        first.add("prompt-m")
    first.close()
    (directory / "b.json").write_text("{not json")
    (task,) = read_progress(directory)
    assert (dict(task.answered), dict(task.total)) == ({"prompt-m": 3}, {"prompt-m": 3})
    assert task.started <= task.updated
