"""Run a command while something is served, and stop all of it on SIGTERM, SIGINT or SIGHUP.

The command runs in a session of its own, so that everything it starts (OpenCompass's
task processes, for example) shares one process group that can be stopped together,
and so that the terminal's Ctrl-C reaches the wrapper, which passes it on. On a stop
signal the group gets that signal, and SIGKILL once ``grace`` seconds have passed.
When the command's own process has exited, whatever it left running in its group is
stopped the same way (SIGTERM, then SIGKILL after the grace period).

The exit status is the command's: its exit code, or 128 + N when signal N ended it,
as a shell reports it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from types import FrameType

import psutil

__all__ = [
    "STOP_SIGNALS",
    "exit_status",
    "group_members",
    "ignore_stop_signals",
    "run_command",
    "stop_group",
    "stop_signals_exit",
]

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
_POLL = 0.1

Handler = Callable[[int, FrameType | None], None] | int


def exit_status(returncode: int) -> int:
    """A ``Popen.returncode`` as a shell's exit status (-15, killed by SIGTERM, becomes 143)."""
    return 128 - returncode if returncode < 0 else returncode


@contextmanager
def _handlers(handler: Handler) -> Iterator[None]:
    previous = {sig: signal.signal(sig, handler) for sig in STOP_SIGNALS}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def _raise_exit(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


@contextmanager
def stop_signals_exit() -> Iterator[None]:
    """Within the block, a stop signal raises ``SystemExit(128 + N)`` (so ``finally`` runs)."""
    with _handlers(_raise_exit):
        yield


@contextmanager
def ignore_stop_signals() -> Iterator[None]:
    """Within the block, stop signals are ignored (for a clean-up already under way)."""
    with _handlers(signal.SIG_IGN):  # type: ignore[arg-type]
        yield


def group_members(pgid: int) -> list[psutil.Process]:
    """The live (not zombie) processes of process group ``pgid``."""
    members = []
    for process in psutil.process_iter():
        try:
            if os.getpgid(process.pid) == pgid and process.status() != psutil.STATUS_ZOMBIE:
                members.append(process)
        except (OSError, psutil.Error):
            continue
    return members


def _signal_group(pgid: int, signum: int) -> None:
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signum)


def stop_group(pgid: int, grace: float) -> None:
    """SIGTERM to every process of group ``pgid``, SIGKILL to those alive ``grace`` s later."""
    if not group_members(pgid):
        return
    _signal_group(pgid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while group_members(pgid):
        if time.monotonic() >= deadline:
            _signal_group(pgid, signal.SIGKILL)
            return
        time.sleep(_POLL)


def run_command(command: Sequence[str], env: Mapping[str, str], *, grace: float) -> int:
    """Run ``command``; pass stop signals on to its process group; return its exit status.

    Raises ``FileNotFoundError`` when the program does not exist.
    """
    received: list[int] = []
    with _handlers(lambda signum, frame: received.append(signum)):
        process = subprocess.Popen(list(command), env=dict(env), start_new_session=True)
        forwarded = 0
        deadline: float | None = None
        while process.poll() is None:
            if len(received) > forwarded:
                _signal_group(process.pid, received[-1])
                forwarded = len(received)
                deadline = deadline or time.monotonic() + grace
            if deadline is not None and time.monotonic() >= deadline:
                _signal_group(process.pid, signal.SIGKILL)
            time.sleep(_POLL)
        stop_group(process.pid, grace)  # what the command left behind
    return exit_status(process.returncode)
