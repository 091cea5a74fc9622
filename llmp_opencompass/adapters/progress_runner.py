"""``ProgressLocalRunner``: OpenCompass's ``LocalRunner`` that also prints readable progress.

While the inference tasks run (each in its own process), a thread of OpenCompass's main
process reads the progress files that :class:`~.infer_task.ConcurrentInferTask` writes
and prints, every ``progress_interval`` seconds when something changed, lines such as::

    [llmp] prompt-smollm2: 37/165 answered (22%) in 2 min 10 s, about 7 min 40 s left

(one per method, and one for all methods when there are several), above OpenCompass's own
bar of finished tasks. The lines wait until every task has counted what it will answer (or
for a minute at most), so that the totals do not grow. Progress files left by an earlier
run (``-r``) are removed first.

The tasks of this package are forked from the ``opencompass`` process rather than started
as new Python processes (:mod:`.forked_tasks`: no second import of OpenCompass, about 10 s
per task); then this thread forks and waits for them and prints the progress lines itself,
since forking is safe only with no other thread running. Other tasks (OpenCompass's own,
a task on a GPU) and ``--debug`` runs go through ``LocalRunner`` as before.
"""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path
from typing import Any

from opencompass.registry import RUNNERS, TASKS
from opencompass.runners import LocalRunner
from opencompass.utils import get_logger
from tqdm import tqdm

from ..run_progress import combine, describe, progress_dir, read_progress
from ..settings.run import DEFAULT_PROGRESS_INTERVAL
from . import task_main
from .forked_tasks import ForkedTask, can_fork, only_thread, run_forked

__all__ = ["ProgressLocalRunner"]

_PREFIX = "[llmp] "
_QUIET_MAX = 60.0
"""Seconds after which the lines are printed again even when nothing changed."""
_WAIT_FOR_TASKS = 60.0
"""Seconds the lines wait, after the first task reported, for the others to report."""


@RUNNERS.register_module()
class ProgressLocalRunner(LocalRunner):
    """``LocalRunner`` plus progress lines (``progress_interval`` seconds apart at most)."""

    def __init__(self, *args: Any, progress_interval: float = DEFAULT_PROGRESS_INTERVAL, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.progress_interval = float(progress_interval)

    def launch(self, tasks: list[dict[str, Any]]) -> list[tuple[str, int]]:
        """Run the tasks as ``LocalRunner`` does, printing progress meanwhile."""
        if not tasks:
            return list(super().launch(tasks))
        directory = progress_dir(tasks[0]["work_dir"])
        shutil.rmtree(directory, ignore_errors=True)
        monitor = _Monitor(directory, self.progress_interval, expected_tasks=len(tasks))
        built = None if self.debug else self._forkable(tasks)
        if built is not None:
            try:
                return self._launch_forked(built, monitor)
            finally:
                monitor.show(final=True)
        monitor.start()
        try:
            return list(super().launch(tasks))
        finally:
            monitor.stop()

    def _forkable(self, tasks: list[dict[str, Any]]) -> list[Any] | None:
        """The built tasks when every one can run in a fork (see :mod:`.forked_tasks`), with the
        classes their configs name imported here once for all the children; else None."""
        built = [TASKS.build(dict(cfg=config, type=self.task_cfg["type"])) for config in tasks]
        if not all(can_fork(task) for task in built):
            return None
        for task in built:
            task_main.import_classes(task.cfg, type(task))
        return built

    def _launch_forked(self, tasks: list[Any], monitor: _Monitor) -> list[tuple[str, int]]:
        """What ``LocalRunner.launch`` does (a bar of finished tasks, a line per task launched,
        one per task failed), each task in a child forked from this process."""
        logger = get_logger()
        bar = _TaskBar(total=len(tasks))
        forked = [
            ForkedTask(task.name, task.get_log_path(file_extension="out"), lambda t=task: task_main.run(t, time.time()))
            for task in tasks
        ]
        polled = [0.0]

        def tick() -> None:
            if time.monotonic() - polled[0] >= self.progress_interval:
                polled[0] = time.monotonic()
                monitor.show(final=False)

        def started(task: ForkedTask) -> None:
            only_thread()  # nothing may have started a thread since can_fork said yes
            tqdm.write(f"launch {task.name} on CPU")

        def ended(task: ForkedTask, code: int) -> None:
            bar.update()
            if code != 0:
                logger.error(f"task {task.name} fail, see\n{task.log_path}")

        try:
            return run_forked(
                forked, self.max_num_workers, on_start=started, on_end=ended, on_tick=tick,
            )  # fmt: skip
        finally:
            bar.close()


class _TaskBar(tqdm):
    """tqdm without its monitor thread (no thread may run while the runner forks)."""

    monitor_interval = 0


class _Monitor(threading.Thread):
    def __init__(self, directory: Path, interval: float, expected_tasks: int) -> None:
        super().__init__(name="llmp-progress", daemon=True)
        self.directory = directory
        self.interval = interval
        self.expected_tasks = expected_tasks
        self._first_report: float | None = None
        self._stopped = threading.Event()
        self._shown: list[tuple[str, int, int]] = []
        self._shown_at = 0.0

    def run(self) -> None:
        while not self._stopped.wait(self.interval):
            self.show(final=False)

    def stop(self) -> None:
        self._stopped.set()
        self.join(timeout=5)
        self.show(final=True)

    def show(self, *, final: bool) -> None:
        """Print the lines when they changed (or were quiet too long); called by the thread, or
        by the runner's own loop when the thread is not started."""
        tasks = read_progress(self.directory)
        if tasks and self._first_report is None:
            self._first_report = time.monotonic()
        waiting = self._first_report is not None and time.monotonic() - self._first_report < _WAIT_FOR_TASKS
        if len(tasks) < self.expected_tasks and waiting and not final:
            return
        methods = combine(tasks, time.time())
        counts = [(m.name, m.answered, m.total) for m in methods]
        quiet_too_long = time.monotonic() - self._shown_at >= _QUIET_MAX
        if not methods or (counts == self._shown and (final or not quiet_too_long)):
            return
        for line in describe(methods):
            tqdm.write(_PREFIX + line)
        self._shown, self._shown_at = counts, time.monotonic()
