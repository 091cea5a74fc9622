"""``IsolatedEvalTask``: OpenCompass's evaluation task with every dataset evaluated on its own.

OpenCompass's ``OpenICLEvalTask`` evaluates a task's (model, dataset) pairs one after
another and stops at the first one that raises: a questionnaire that fails to load, a
prediction file that is missing because its inference failed, an evaluator error. Our
partitioner packs many pairs into each task (see :mod:`.partitioner`), so one bad pair
would cost the results of every pair after it. This task evaluates each pair exactly as
the stock task does, goes on past a failure, and then fails, naming every failed pair
and why; the pairs that succeeded keep their result files. Pairs whose result exists are
skipped, so ``-r`` finishes what is missing.
"""

from __future__ import annotations

import copy
import os.path as osp

from mmengine.config import Config
from opencompass.tasks.openicl_eval import OpenICLEvalTask
from opencompass.utils import get_infer_output_path, get_logger, task_abbr_from_cfg

from . import task_main

__all__ = ["IsolatedEvalTask"]

_RESUME = (
    "The other pairs kept their results. Once the cause is fixed, rerun the same opencompass command with -r "
    "(add -m eval when the predictions are complete) to evaluate the failed pairs"
)


class IsolatedEvalTask(OpenICLEvalTask):
    """``OpenICLEvalTask`` in which a failing (model, dataset) pair fails alone."""

    unused_config = ("infer_cfg",)
    """Config keys this task never builds from (:mod:`.task_main` imports the classes of the others)."""

    def get_command(self, cfg_path: str, template: str) -> str:
        """Run this task (not OpenCompass's) in the task process, through :mod:`.task_main`."""
        return template.format(task_cmd=task_main.command(type(self), cfg_path))

    def run(self) -> None:  # type: ignore[override]
        """Evaluate every pair without a result; raise after all ran if any failed."""
        logger = get_logger()
        failures: list[str] = []
        for model_cfg, dataset_cfgs in zip(self.model_cfgs, self.dataset_cfgs, strict=True):
            for dataset_cfg in dataset_cfgs:
                if osp.exists(get_infer_output_path(model_cfg, dataset_cfg, osp.join(self.work_dir, "results"))):
                    continue
                name = task_abbr_from_cfg({"models": [model_cfg], "datasets": [[dataset_cfg]]})
                try:
                    self._score_pair(model_cfg, dataset_cfg)
                except Exception as exc:  # reported below; the other pairs go on
                    logger.exception(f"{name} failed: {type(exc).__name__}: {exc}")
                    failures.append(f"{name}: {type(exc).__name__}: {exc}")
        if failures:
            raise RuntimeError(
                f"{len(failures)} evaluation pairs failed:\n" + "\n".join(failures) + f"\n{_RESUME}"
            )

    def _score_pair(self, model_cfg: Config, dataset_cfg: Config) -> None:
        """What the stock ``run`` does for one pair: set the pair's state, then score it."""
        self.model_cfg = model_cfg
        self.dataset_cfg = dataset_cfg
        self.eval_cfg = copy.deepcopy(dataset_cfg.get("eval_cfg"))
        self.output_column = copy.deepcopy(dataset_cfg["reader_cfg"]["output_column"])
        self._score()
