"""The program of this package's task processes:
``python -m llmp_opencompass.adapters.task_main <task class> <params file>``.

OpenCompass starts every task as a process of its own, which imports what the task needs
and runs it on the task's config (the params file the runner dumped). This program does
what OpenCompass's own task scripts do, after deferring OpenCompass's package-wide imports
(:mod:`.lazy_packages`). It imports the classes the config names (models, datasets,
inferencers, evaluators) before the task starts its threads, logs how long the imports
took (``bench/run_bench.py`` reads it), and once the task has succeeded, exits without the
interpreter's teardown. A task that fails raises, and exits with its traceback, as before.

Run locally, the tasks are forked from the ``opencompass`` process instead
(:mod:`.forked_tasks`), which has imported all of it already; they run through :func:`run`
as well. This program remains for ``--slurm``, ``--dlc`` and whenever a task cannot be forked.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import os
import shlex
import sys
import time
from typing import Any

from . import lazy_packages

__all__ = ["MODULE", "command", "import_classes", "main", "run"]

MODULE = "llmp_opencompass.adapters.task_main"


def command(task_class: type, cfg_path: str) -> str:
    """The shell command that runs ``task_class`` on the params file ``cfg_path`` (quoted: the
    runner puts the params file in the current directory, whose path may hold spaces)."""
    task = f"{task_class.__module__}.{task_class.__qualname__}"
    return " ".join(shlex.quote(part) for part in (sys.executable, "-m", MODULE, task, cfg_path))


def main(argv: list[str]) -> None:
    """Run the task class named by ``argv[0]`` (a dotted path) on the params file ``argv[1]``."""
    started = time.time()
    lazy_packages.install()
    module, _, name = argv[0].rpartition(".")
    task_class = getattr(importlib.import_module(module), name)
    from mmengine.config import Config

    config = Config.fromfile(argv[1])
    import_classes(config, task_class)
    run(task_class(config), started)
    _leave()


def import_classes(config: Any, task_class: type) -> None:
    """Import the classes that the task's config names (models, datasets, inferencers,
    evaluators; not those under the task class's ``unused_config`` keys), before its threads
    start importing them at once."""
    from mmengine.utils import get_object_from_string

    unused = getattr(task_class, "unused_config", ())  # e.g. an inference task never builds the evaluator
    for dotted in sorted(_types(config.get("models", []), unused) | _types(config.get("datasets", []), unused)):
        with contextlib.suppress(Exception):  # one that fails to import fails its own pairs, as it always did
            get_object_from_string(dotted)


def run(task: Any, started: float) -> None:
    """Run a built task, logging how long it took to get ready (since ``started``, a
    ``time.time()``) and to run; a task that fails raises."""
    from opencompass.utils import get_logger

    logger = get_logger()
    ready = time.time()
    logger.info(f"imports and config: {ready - started:.2f}s")
    task.run()
    logger.info(f"time elapsed: {time.time() - ready:.2f}s")


def _leave() -> None:
    """Exit at once, the task's files written and closed: the interpreter's teardown of the 3,000
    modules a task imports (torch, transformers...) took a second or more that the run waited for."""
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def _types(node: object, unused: tuple[str, ...] = ()) -> set[str]:
    """The dotted ``type`` strings anywhere in a config value, but under the keys ``unused``."""
    if isinstance(node, dict):
        found = {node["type"]} if isinstance(node.get("type"), str) and "." in node["type"] else set()
        return found.union(*(_types(value, unused) for key, value in node.items() if key not in unused))
    if isinstance(node, list | tuple):
        return set().union(*(_types(value, unused) for value in node))
    return set()


if __name__ == "__main__":
    main(sys.argv[1:])
