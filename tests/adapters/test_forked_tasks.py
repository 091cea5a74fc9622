"""Tasks run in children forked from the calling process (:mod:`llmp_opencompass.adapters.forked_tasks`)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from llmp_opencompass.adapters.forked_tasks import ForkedTask, fork_supported, only_thread, run_forked

pytestmark = pytest.mark.skipif(not fork_supported(), reason="needs os.fork")


def _task(name: str, log: Path, body) -> ForkedTask:
    return ForkedTask(name, str(log), body)


def test_each_task_runs_in_its_own_child_and_everything_it_writes_goes_to_its_log(tmp_path: Path) -> None:
    parent = os.getpid()

    def body() -> None:
        print(f"python output from {os.getpid()}")
        os.write(1, b"native stdout\n")
        os.write(2, b"native stderr\n")
        assert os.getpid() != parent
        assert os.environ["CUDA_VISIBLE_DEVICES"] == ""

    logs = [tmp_path / "logs" / f"t{i}.out" for i in range(3)]
    parent_env = os.environ.get("CUDA_VISIBLE_DEVICES")
    status = run_forked([_task(f"t{i}", logs[i], body) for i in range(3)], workers=2)

    assert status == [("t0", 0), ("t1", 0), ("t2", 0)]
    pids = set()
    for log in logs:
        text = log.read_text()
        assert "native stdout" in text and "native stderr" in text
        pids.add(text.split("python output from ")[1].split()[0])
    assert len(pids) == 3 and str(parent) not in pids
    assert os.environ.get("CUDA_VISIBLE_DEVICES") == parent_env  # set in the children only


def test_a_failing_task_exits_1_with_its_traceback_in_its_log_and_the_others_go_on(tmp_path: Path) -> None:
    def fails() -> None:
        raise ValueError("the dataset file is corrupt")

    status = run_forked(
        [_task("bad", tmp_path / "bad.out", fails), _task("good", tmp_path / "good.out", lambda: None)], workers=1
    )

    assert status == [("bad", 1), ("good", 0)]
    text = (tmp_path / "bad.out").read_text()
    assert "Traceback" in text and "ValueError: the dataset file is corrupt" in text


def test_a_child_killed_by_a_signal_reports_128_plus_the_signal(tmp_path: Path) -> None:
    status = run_forked([_task("killed", tmp_path / "k.out", lambda: os.kill(os.getpid(), 9))], workers=1)
    assert status == [("killed", 137)]


def test_at_most_workers_children_run_at_once_and_callbacks_run_in_the_calling_thread(tmp_path: Path) -> None:
    marks = tmp_path / "marks"
    marks.mkdir()

    def body() -> None:
        (marks / f"{os.getpid()}.start").write_text(str(time.time()))
        time.sleep(0.3)
        (marks / f"{os.getpid()}.end").write_text(str(time.time()))

    caller = threading.get_ident()
    threads: set[int] = set()
    ticks = [0]

    def tick() -> None:
        threads.add(threading.get_ident())
        ticks[0] += 1

    run_forked([_task(f"t{i}", tmp_path / f"{i}.out", body) for i in range(5)], workers=2, on_tick=tick,
               on_start=lambda t: threads.add(threading.get_ident()))  # fmt: skip

    spans = []
    for start in marks.glob("*.start"):
        spans.append((float(start.read_text()), float(start.with_suffix(".end").read_text())))
    assert len(spans) == 5
    most = max(sum(1 for s, e in spans if s <= t < e) for t, _ in spans)
    assert most == 2
    assert threads == {caller} and ticks[0] > 0


def test_interrupted_the_runner_stops_its_children_and_raises(tmp_path: Path) -> None:
    pidfile = tmp_path / "pid"

    def tick() -> None:  # Ctrl-C once the child runs
        if pidfile.exists() and pidfile.read_text():
            raise KeyboardInterrupt

    def body() -> None:
        pidfile.write_text(str(os.getpid()))
        time.sleep(60)

    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        run_forked([_task("long", tmp_path / "long.out", body)], workers=1, on_tick=tick)
    assert time.monotonic() - started < 10
    with pytest.raises(ProcessLookupError):  # the child is gone: killed and reaped, not a zombie
        os.kill(int(pidfile.read_text()), 0)


_ELIGIBILITY = """
import threading
from llmp_opencompass.adapters import task_main
from llmp_opencompass.adapters.forked_tasks import can_fork

class Ours:
    num_gpus = 0
    def get_command(self, cfg_path, template):
        return template.format(task_cmd=task_main.command(type(self), cfg_path))

class Stock(Ours):
    def get_command(self, cfg_path, template):
        return template.format(task_cmd=f"python run.py {cfg_path}")

class Gpu(Ours):
    num_gpus = 1

alone = [can_fork(Ours()), can_fork(Stock()), can_fork(Gpu())]
stop = threading.Event()
other = threading.Thread(target=stop.wait)
other.start()
with_thread = can_fork(Ours())
stop.set()
other.join()
print(alone, with_thread)
"""


def test_only_this_packages_cpu_tasks_fork_and_only_while_no_other_thread_runs() -> None:
    # in a process of its own: this one may run threads left by earlier tests
    out = subprocess.run([sys.executable, "-c", _ELIGIBILITY], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["[True,", "False,", "False]", "False"], out.stderr


def test_only_thread_names_the_other_threads() -> None:
    stop = threading.Event()
    other = threading.Thread(target=stop.wait, name="a-stray-thread")
    other.start()
    try:
        with pytest.raises(RuntimeError, match="a-stray-thread"):
            only_thread()
    finally:
        stop.set()
        other.join()
