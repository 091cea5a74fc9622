"""The command runner of ``serve``: exit status passed through, stop signals passed on to the
whole process group, SIGKILL after the grace period, nothing left behind (real processes)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from llmp_opencompass.servers.supervise import exit_status, group_members, run_command

pytestmark = pytest.mark.slow  # real processes and waits of seconds

# The wrapped command: a shell with a background child and a foreground one (a background
# child of a non-interactive shell ignores SIGINT, so only the group stop reaches it).
SHELL = "sleep 120 & echo $$ $! > {pids}; sleep 121"


def _wrapper(command: list[str], grace: float) -> subprocess.Popen[bytes]:
    code = (
        "import os, sys, json; from llmp_opencompass.servers.supervise import run_command; "
        f"sys.exit(run_command(json.loads({json.dumps(json.dumps(command))}), os.environ, grace={grace}))"
    )
    return subprocess.Popen([sys.executable, "-c", code], start_new_session=True)


def _wait_for(path: Path, timeout: float = 60) -> list[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.is_file() and path.read_text().strip():
            return [int(p) for p in path.read_text().split()]
        time.sleep(0.05)
    raise AssertionError(f"the command did not start ({path})")


def _alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def test_exit_status_is_the_commands() -> None:
    assert run_command(["sh", "-c", "exit 3"], os.environ, grace=1) == 3
    assert run_command(["sh", "-c", "kill -TERM $$"], os.environ, grace=1) == 128 + signal.SIGTERM
    assert (exit_status(0), exit_status(-9)) == (0, 137)


def test_a_missing_program_raises() -> None:
    with pytest.raises(FileNotFoundError):
        run_command(["llmp-no-such-program-4f1d"], os.environ, grace=1)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_stop_signal_stops_the_command_and_everything_it_started(signum: int, tmp_path: Path) -> None:
    pids_file = tmp_path / "pids"
    wrapper = _wrapper(["sh", "-c", SHELL.format(pids=pids_file)], grace=2)
    shell, background = _wait_for(pids_file)
    wrapper.send_signal(signum)
    assert wrapper.wait(timeout=30) == 128 + signum
    deadline = time.monotonic() + 5
    while (_alive(shell) or _alive(background)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(shell) and not _alive(background)
    assert not group_members(shell)


def test_a_command_that_ignores_sigterm_is_killed_after_the_grace_period(tmp_path: Path) -> None:
    ready = tmp_path / "ready"
    stubborn = (
        "import os, signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
        f"open({str(ready)!r}, 'w').write(str(os.getpid())); time.sleep(120)"
    )
    wrapper = _wrapper([sys.executable, "-c", stubborn], grace=1)
    (pid,) = _wait_for(ready)
    started = time.monotonic()
    wrapper.send_signal(signal.SIGTERM)
    assert wrapper.wait(timeout=30) == 128 + signal.SIGKILL
    assert 0.9 <= time.monotonic() - started < 15
    assert not _alive(pid)


def test_what_the_command_leaves_running_is_stopped_when_it_exits(tmp_path: Path) -> None:
    pids_file = tmp_path / "pids"
    command = f"sleep 120 & echo $! > {pids_file}; exit 0"
    assert run_command(["sh", "-c", command], os.environ, grace=2) == 0
    (orphan,) = _wait_for(pids_file)
    assert not _alive(orphan)
