"""``ConcurrentInferTask``: OpenCompass's inference task with its datasets run side by side.

OpenCompass's ``OpenICLInferTask`` runs a task's (model, dataset) pairs one after
another. Our datasets are small (5 questions per character and questionnaire), so
a task that may keep N calls in flight spends most of its time in short, half-empty
waves: with N = 4 every dataset takes a wave of 4 and a wave of 1, and a MACM
question leaves slots idle between its two rounds.

This task runs up to 2N pairs at once in threads. The load on the endpoint is still
N calls: every ``SimulacrumModel`` of the process shares one limit of N calls in
flight (:func:`llmp_opencompass.llm.shared_slots`), so running pairs side by side
keeps the N slots busy instead of adding load. Each pair writes its own
prediction file exactly as the stock task does; pairs whose file exists are
skipped, so ``-r`` resumes. A failed pair does not stop the others; the task then
fails, naming every failed pair, and no prediction file is written for them.
"""

from __future__ import annotations

import os.path as osp
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from mmengine.config import ConfigDict
from mmengine.utils import mkdir_or_exist
from opencompass.registry import ICL_INFERENCERS, ICL_PROMPT_TEMPLATES, ICL_RETRIEVERS
from opencompass.tasks.openicl_infer import OpenICLInferTask
from opencompass.utils import (
    build_dataset_from_cfg,
    build_model_from_cfg,
    get_infer_output_path,
    get_logger,
    model_abbr_from_cfg,
    task_abbr_from_cfg,
)

from . import task_main

__all__ = ["ConcurrentInferTask"]

_DEFAULT_PARALLEL = 8
_RESUME = (
    "Once the cause is fixed, rerun the same opencompass command with -r: finished predictions are kept, "
    "and with the call cache on (LLMP_CACHE), answers already obtained are not asked for again"
)


class ConcurrentInferTask(OpenICLInferTask):
    """``OpenICLInferTask`` running up to ``parallel`` (model, dataset) pairs at once.

    ``parallel`` comes from the task config's ``parallel`` key, else twice the first model's
    ``connection.concurrency`` (its calls-in-flight limit), else 8.
    """

    unused_config = ("eval_cfg",)
    """Config keys this task never builds from (:mod:`.task_main` imports the classes of the others)."""

    def get_command(self, cfg_path: str, template: str) -> str:
        """Run this task (not OpenCompass's) in the task process, through :mod:`.task_main`."""
        return template.format(task_cmd=task_main.command(type(self), cfg_path))

    @property
    def parallel(self) -> int:
        """How many pairs run at once."""
        workers = (self.model_cfgs[0].get("connection") or {}).get("concurrency")
        value = self.cfg.get("parallel") or (2 * int(workers) if workers else _DEFAULT_PARALLEL)
        return max(1, int(value))

    def run(self, cur_model: Any = None, cur_model_abbr: str | None = None) -> None:
        """Infer every pair whose prediction file is missing; raise after all ran if any failed."""
        logger = get_logger()
        logger.info(f"Task {task_abbr_from_cfg(self.cfg)}")
        out_root = osp.join(self.work_dir, "predictions")
        pairs = [
            (index, model_cfg, dataset_cfg)
            for index, (model_cfg, dataset_cfgs) in enumerate(zip(self.model_cfgs, self.dataset_cfgs, strict=True))
            for dataset_cfg in dataset_cfgs
            if not osp.exists(get_infer_output_path(model_cfg, dataset_cfg, out_root))
        ]
        models = _Models(self.model_cfgs)
        failures: list[str] = []
        lock = threading.Lock()
        done = [0]

        def infer(pair: tuple[int, ConfigDict, ConfigDict]) -> None:
            index, model_cfg, dataset_cfg = pair
            name = task_abbr_from_cfg({"models": [model_cfg], "datasets": [[dataset_cfg]]})
            try:
                _infer_pair(models.get(index), model_cfg, dataset_cfg, out_root, self._dump_options)
            except Exception as exc:  # reported below; the other pairs go on
                logger.error(f"{name} failed: {type(exc).__name__}: {exc}")
                with lock:
                    failures.append(f"{name}: {type(exc).__name__}: {exc}")
                return
            with lock:
                done[0] += 1
                logger.info(f"The Progress of This Task --> {done[0]}/{len(pairs)} pairs ({name})")

        with ThreadPoolExecutor(max_workers=min(self.parallel, max(1, len(pairs))), thread_name_prefix="pair") as pool:
            list(pool.map(infer, pairs))
        if failures:
            raise RuntimeError(
                f"{len(failures)} of {len(pairs)} inference pairs failed:\n" + "\n".join(failures) + f"\n{_RESUME}"
            )

    @property
    def _dump_options(self) -> dict[str, Any]:
        """The task config's dump settings, passed to every inferencer as the stock task does."""
        return {"dump_res_length": self.dump_res_length, "dump_only_message_path": self.dump_only_message_path}


class _Models:
    """Each model of the task built once, on first use, shared by its pairs."""

    def __init__(self, cfgs: list[ConfigDict]) -> None:
        self._cfgs = cfgs
        self._built: dict[int, Any] = {}
        self._locks = [threading.Lock() for _ in cfgs]

    def get(self, index: int) -> Any:
        with self._locks[index]:
            if index not in self._built:
                self._built[index] = build_model_from_cfg(self._cfgs[index])
            return self._built[index]


def _infer_pair(
    model: Any, model_cfg: ConfigDict, dataset_cfg: ConfigDict, out_root: str, dump_options: dict[str, Any]
) -> None:
    """What ``OpenICLInferTask._inference`` does for one pair, with local state only."""
    get_logger().info(f"Start inferencing {model_abbr_from_cfg(model_cfg)}/{dataset_cfg['abbr']}")
    infer_cfg = dataset_cfg["infer_cfg"]
    dataset = build_dataset_from_cfg(dataset_cfg)
    retriever = ICL_RETRIEVERS.build({**infer_cfg["retriever"], "dataset": dataset})
    inferencer_cfg = dict(infer_cfg["inferencer"], model=model)
    for key in ("max_out_len", "min_out_len", "batch_size"):
        if key not in inferencer_cfg:
            inferencer_cfg[key] = model_cfg.get(key, None)
    inferencer_cfg["max_seq_len"] = model_cfg.get("max_seq_len")
    inferencer_cfg.update(dump_options)
    inferencer = ICL_INFERENCERS.build(inferencer_cfg)
    templates = {
        key: ICL_PROMPT_TEMPLATES.build(infer_cfg[key])
        for key in ("ice_template", "prompt_template")
        if key in infer_cfg
    }
    if not templates:
        raise ValueError(f"dataset {dataset_cfg['abbr']}: infer_cfg has neither ice_template nor prompt_template")
    out_dir, out_file = osp.split(get_infer_output_path(model_cfg, dataset_cfg, out_root))
    mkdir_or_exist(out_dir)
    inferencer.inference(retriever, **templates, output_json_filepath=out_dir, output_json_filename=out_file)
