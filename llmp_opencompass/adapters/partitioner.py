"""``GroupedPartitioner``: few OpenCompass tasks, each holding many (model, datasets) pairs.

Every task is a subprocess that pays about 6 s and 600 MB importing OpenCompass
before it does anything. Our runs have one model per (method, character), so the
stock partitioners make at least one task per character and method: 44 task
start-ups for the four methods, twice (infer and eval). OpenCompass tasks accept
several models, so this partitioner packs all pairs into ``num_worker`` tasks of
about equal cost, where a dataset costs its model's calls per question (MACM makes 5,
the other methods 1), so that the tasks end together. Pairs whose output exists are
skipped, so ``-r`` resumes. ``num_worker`` is OpenCompass's own name for the tasks run
at once; under ``--slurm`` it is ``--max-num-workers`` (see :mod:`.launch`).
"""

from __future__ import annotations

import os.path as osp

from mmengine.config import Config, ConfigDict
from opencompass.partitioners.base import BasePartitioner
from opencompass.registry import PARTITIONERS
from opencompass.utils import get_infer_output_path

__all__ = ["GroupedPartitioner", "pair_cost"]

_CALLS_PER_QUESTION = {"macm": 5}
"""LLM calls per question by simulacrum method (1 when not listed)."""


def pair_cost(model: ConfigDict, datasets: list[ConfigDict]) -> int:
    """The relative cost of one model's datasets: datasets x calls per question of its method."""
    return len(datasets) * _CALLS_PER_QUESTION.get(str(model.get("method", "")), 1)


@PARTITIONERS.register_module()
class GroupedPartitioner(BasePartitioner):
    """Packs model/dataset pairs into at most ``num_worker`` tasks (one per parallel worker)."""

    def __init__(self, out_dir: str, num_worker: int = 2, keep_keys: list[str] | None = None) -> None:
        super().__init__(out_dir=out_dir, keep_keys=keep_keys)
        self.num_worker = max(1, int(num_worker))

    def partition(  # type: ignore[override]
        self,
        model_dataset_combinations: list[dict[str, list[ConfigDict]]],
        work_dir: str,
        out_dir: str,
        add_cfg: dict | None = None,
    ) -> list[Config]:
        """Tasks of the form ``{'models': [...], 'datasets': [[...], ...], 'work_dir': ...}``."""
        pairs = [
            (model, todo)
            for comb in model_dataset_combinations
            for model in comb["models"]
            if (todo := [d for d in comb["datasets"] if not osp.exists(get_infer_output_path(model, d, out_dir))])
        ]
        groups: list[list[tuple[ConfigDict, list[ConfigDict]]]] = [[] for _ in range(self.num_worker)]
        for pair in sorted(pairs, key=lambda p: -pair_cost(*p)):  # costliest first onto the lightest group
            min(groups, key=lambda g: sum(pair_cost(*p) for p in g)).append(pair)
        return [
            Config(
                {
                    "models": [model for model, _ in group],
                    "datasets": [datasets for _, datasets in group],
                    "work_dir": work_dir,
                    **(add_cfg or {}),
                },
                format_python_code=False,  # the runner dumps it for the task process: yapf took 5 s a task
            )
            for group in groups
            if group
        ]
