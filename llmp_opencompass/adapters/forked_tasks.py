"""Task processes forked from the ``opencompass`` process instead of started afresh.

OpenCompass's local runner starts each task as a new Python process
(``python -m llmp_opencompass.adapters.task_main ...``), which spends its first
seconds importing OpenCompass, torch, transformers and datasets again: about 10 s
per task on a 2-core machine, most of a run that makes few or cached calls. The
``opencompass`` process has imported all of it already, so a fork of it starts the
task at once, sharing those pages copy-on-write.

A forked task is the same task as in a process of its own: the runner's task config
(the one it would dump to the params file), its own process, its log in
``logs/<stage>/<model>/<dataset>.out`` (everything it writes, Python's and native
code's), ``CUDA_VISIBLE_DEVICES`` empty, exit status 0 or 1 (the traceback in the
log). It never returns into the ``opencompass`` process's code: it leaves with
``os._exit``, so the parent's buffers, ``atexit`` handlers and temporary files are
not run twice.

Forking is safe only from a process with one thread: locks held by another thread
at that moment (a logging handler's, tqdm's, stdout's) stay locked forever in the
child. :func:`run_forked` forks from the calling thread, which must be the only one
(:func:`can_fork` tells, and the caller then falls back to the usual task processes;
:func:`only_thread` checks it again before each fork), and waits for its children in
that same thread, so it never starts one of its own. torch's thread pools are forked before any torch
operation ran in the parent (OpenCompass's process only imports torch before its
tasks), the case that PyTorch's own ``DataLoader`` workers rely on.

Only tasks of this package (those run through :mod:`.task_main`) that use no GPU
are forked; any other task keeps OpenCompass's process of its own.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["ForkedTask", "can_fork", "fork_supported", "only_thread", "run_forked"]

_POLL = 0.05
"""Seconds between checks for finished children (and ``on_tick`` calls)."""
_GRACE = 0.25
"""Seconds the children get to stop on Ctrl-C before they are killed (as ``subprocess.run``)."""


@dataclass(frozen=True)
class ForkedTask:
    """What the child runs: ``run()`` with its output going to ``log_path``."""

    name: str
    log_path: str
    run: Callable[[], None]
    """Runs the task, its output already going to the log; the child exits with 0 when it
    returns, with 1 (the traceback in the log) when it raises."""


def fork_supported() -> bool:
    """True on a platform with ``os.fork`` (not Windows)."""
    return hasattr(os, "fork") and sys.platform != "win32"


def can_fork(task: Any) -> bool:
    """True when ``task`` (a built OpenCompass task) may run in a fork: a task of this package
    (its command runs :mod:`.task_main`) that uses no GPU, and only this thread is running."""
    from . import task_main

    if not fork_supported() or int(getattr(task, "num_gpus", 0) or 0) > 0:
        return False
    try:
        command = task.get_command(cfg_path="params.py", template="{task_cmd}")
    except Exception:  # a task whose command cannot be made is not ours
        return False
    return task_main.MODULE in command and threading.active_count() == 1


def only_thread() -> None:
    """Raise unless the calling thread is the process's only one (before a fork)."""
    others = [t.name for t in threading.enumerate() if t is not threading.current_thread()]
    if others:
        raise RuntimeError(f"refusing to fork a task while other threads run: {', '.join(others)}")


def run_forked(
    tasks: Sequence[ForkedTask],
    workers: int,
    *,
    on_start: Callable[[ForkedTask], None] = lambda task: None,
    on_end: Callable[[ForkedTask, int], None] = lambda task, code: None,
    on_tick: Callable[[], None] = lambda: None,
) -> list[tuple[str, int]]:
    """Run every task in a forked child, at most ``workers`` at once, in order; (name, exit
    status) per task. ``on_tick`` runs in this thread every few hundredths of a second while
    children run (e.g. to print progress: no thread of its own may run while forking)."""
    status: dict[int, int] = {}
    running: dict[int, int] = {}  # pid -> task index
    pending = list(range(len(tasks)))
    try:
        while pending or running:
            while pending and len(running) < max(1, workers):
                index = pending.pop(0)
                on_start(tasks[index])
                running[_fork(tasks[index])] = index
            on_tick()
            for pid, code in _reap(running):
                index = running.pop(pid)
                status[index] = code
                on_end(tasks[index], code)
            if running:
                time.sleep(_POLL)
    except BaseException:  # Ctrl-C: the children (which got it too) stop, then this raises
        _stop(running)
        raise
    return [(tasks[i].name, status[i]) for i in range(len(tasks))]


def _fork(task: ForkedTask) -> int:
    for stream in (sys.stdout, sys.stderr):  # else the child would write the parent's pending output again
        stream.flush()
    pid = os.fork()
    if pid:
        return pid
    code = 1
    try:
        _child(task)
        code = 0
    except BaseException:  # whatever happens, the child must not return
        traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
            try:
                if stream is not None:
                    stream.flush()
            except Exception:  # exiting anyway
                pass
        os._exit(code)


def _child(task: ForkedTask) -> None:
    """In the child: everything written to file descriptors 1 and 2, and to ``sys.stdout`` and
    ``sys.stderr``, goes to the task's log."""
    os.makedirs(os.path.dirname(task.log_path) or ".", exist_ok=True)
    log = os.open(task.log_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.close(log)
    # the streams print() uses, whatever the parent had made of them (a console, a capture)
    sys.stdout = open(1, "w", buffering=1, encoding="utf-8", errors="backslashreplace", closefd=False)  # noqa: SIM115
    sys.stderr = open(2, "w", buffering=1, encoding="utf-8", errors="backslashreplace", closefd=False)  # noqa: SIM115
    os.environ["CUDA_VISIBLE_DEVICES"] = ""  # what the local runner's command sets for a task without GPU
    signal.signal(signal.SIGINT, signal.default_int_handler)
    task.run()


def _reap(running: dict[int, int]) -> list[tuple[int, int]]:
    finished = []
    for pid in list(running):
        done, wait_status = os.waitpid(pid, os.WNOHANG)
        if done:
            code = os.waitstatus_to_exitcode(wait_status)
            finished.append((pid, code if code >= 0 else 128 - code))  # killed by signal N: 128 + N
    return finished


def _stop(running: dict[int, int]) -> None:
    deadline = time.monotonic() + _GRACE
    while running and time.monotonic() < deadline:
        for pid, _ in _reap(running):
            running.pop(pid)
        time.sleep(0.02)
    for pid in running:
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
