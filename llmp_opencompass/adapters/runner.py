"""``InProcessRunner``: OpenCompass's local runner, running its tasks in the ``opencompass`` process.

A task process of its own spends its first seconds importing torch, transformers, datasets
and scipy (9 s on the 2-core development machine), and the evaluation of a self-report
run then takes about a second. The ``opencompass`` process has all of that imported
already, so the evaluation stage runs its task there, with what a task process gives:
- the task writes the log the local runner would (``logs/eval/<model>/<dataset>.out``):
  OpenCompass's log lines, warnings, progress bars and, when it fails, the traceback;
  the console shows none of it;
- a task that fails is a failed task: the runner logs ``task ... fail, see <log>`` and
  the run goes on to the summary, as when a task process exits with an error.
With ``--debug`` the task logs to the console and a failure stops the run, as there.

Tasks run one after another. Stages that call an endpoint (inference, an LLM judge) keep
the local runner's parallel task processes.
"""

from __future__ import annotations

import contextlib
import logging
import os.path as osp
import time
import traceback
from collections.abc import Iterator
from typing import Any, TextIO

from mmengine.logging.logger import MMFormatter
from mmengine.utils import mkdir_or_exist
from opencompass.registry import RUNNERS, TASKS
from opencompass.runners import LocalRunner
from opencompass.utils import get_logger

__all__ = ["InProcessRunner"]


@RUNNERS.register_module()
class InProcessRunner(LocalRunner):
    """``LocalRunner`` whose tasks run in this process, one after another (see the module docstring)."""

    def launch(self, tasks: list[dict[str, Any]]) -> list[tuple[str, int]]:
        """Run every task; (task name, 0 or 1) each."""
        status = []
        for config in tasks:
            task = TASKS.build(dict(cfg=config, type=self.task_cfg["type"]))
            if self.debug:
                task.run()
                status.append((task.name, 0))
                continue
            status.append((task.name, _run_logged(task)))
        return status


def _run_logged(task: Any) -> int:
    out_path = task.get_log_path(file_extension="out")
    mkdir_or_exist(osp.split(out_path)[0])
    started = time.time()
    with open(out_path, "w", encoding="utf-8") as log, _logging_to(log):
        try:
            task.run()
            get_logger().info(f"time elapsed: {time.time() - started:.2f}s")
            return 0
        except Exception:  # a failed task, as when a task process exits with an error
            traceback.print_exc(file=log)
    get_logger().error(f"task {task.name} fail, see\n{out_path}")
    return 1


@contextlib.contextmanager
def _logging_to(log: TextIO) -> Iterator[None]:
    """OpenCompass's log lines, and whatever the task prints, go to ``log`` only."""
    logger = get_logger()
    handler = logging.StreamHandler(log)
    handler.setFormatter(MMFormatter(color=True, datefmt="%m/%d %H:%M:%S"))  # as in a task process
    console = list(logger.handlers)
    handler.setLevel(min((h.level for h in console), default=logging.INFO))  # the console's level (INFO)
    logger.handlers = [handler]
    try:
        with contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
            yield
    finally:
        logger.handlers = console
