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

When the endpoint serves fewer calls at once than the task may send
(``connection.endpoint_slots``, set for the embedded server), fewer pairs run at once:
more would only make every dataset finish late.

The task counts its answers in ``<run>/progress/<task>.json`` (see
:mod:`llmp_opencompass.run_progress`); :class:`~.progress_runner.ProgressLocalRunner`
prints them.
"""

from __future__ import annotations

import hashlib
import os.path as osp
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
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

from ..run_progress import ProgressFile, progress_dir
from . import task_main

__all__ = ["ConcurrentInferTask"]

_DEFAULT_PARALLEL = 8
_RESUME = (
    "Once the cause is fixed, rerun the same opencompass command with -r: finished predictions are kept, "
    "and with the call cache on (LLMP_CACHE), answers already obtained are not asked for again"
)


class ConcurrentInferTask(OpenICLInferTask):
    """``OpenICLInferTask`` running up to ``parallel`` (model, dataset) pairs at once.

    ``parallel`` comes from the task config's ``parallel`` key, else twice the calls the
    first model may have in flight (its ``connection.concurrency``, or the endpoint's
    ``connection.endpoint_slots`` when smaller), else 8.
    """

    unused_config = ("eval_cfg",)
    """Config keys this task never builds from (:mod:`.task_main` imports the classes of the others)."""

    def get_command(self, cfg_path: str, template: str) -> str:
        """Run this task (not OpenCompass's) in the task process, through :mod:`.task_main`."""
        return template.format(task_cmd=task_main.command(type(self), cfg_path))

    @property
    def parallel(self) -> int:
        """How many pairs run at once."""
        connection = self.model_cfgs[0].get("connection") or {}
        limits = [int(v) for v in (connection.get("concurrency"), connection.get("endpoint_slots")) if v]
        value = self.cfg.get("parallel") or (2 * min(limits) if limits else _DEFAULT_PARALLEL)
        return max(1, int(value))

    def run(self, cur_model: Any = None, cur_model_abbr: str | None = None) -> None:
        """Infer every pair whose prediction file is missing; raise after all ran if any failed."""
        logger = get_logger()
        logger.info(f"Task {task_abbr_from_cfg(self.cfg)}")
        out_root = osp.join(self.work_dir, "predictions")
        failures: list[str] = []
        lock = threading.Lock()

        def failed(model_cfg: ConfigDict, dataset_cfg: ConfigDict, exc: Exception) -> None:
            name = _pair_name(model_cfg, dataset_cfg)
            logger.error(f"{name} failed: {type(exc).__name__}: {exc}")
            with lock:
                failures.append(f"{name}: {type(exc).__name__}: {exc}")

        todo = [
            (index, model_cfg, dataset_cfg)
            for index, (model_cfg, dataset_cfgs) in enumerate(zip(self.model_cfgs, self.dataset_cfgs, strict=True))
            for dataset_cfg in dataset_cfgs
            if not osp.exists(get_infer_output_path(model_cfg, dataset_cfg, out_root))
        ]
        pairs = []
        for index, model_cfg, dataset_cfg in todo:  # datasets first: the progress totals
            try:
                pairs.append((index, model_cfg, dataset_cfg, build_dataset_from_cfg(dataset_cfg)))
            except Exception as exc:  # reported below; the other pairs go on
                failed(model_cfg, dataset_cfg, exc)
        progress = ProgressFile(self._progress_path(), _totals(pairs))
        models = _Models(self.model_cfgs, on_answer=progress.add)
        done = [0]

        def infer(pair: tuple[int, ConfigDict, ConfigDict, Any]) -> None:
            index, model_cfg, dataset_cfg, dataset = pair
            try:
                _infer_pair(models.get(index), model_cfg, dataset_cfg, dataset, out_root, self._dump_options)
            except Exception as exc:  # reported below; the other pairs go on
                failed(model_cfg, dataset_cfg, exc)
                return
            with lock:
                done[0] += 1
                name = _pair_name(model_cfg, dataset_cfg)
                logger.info(f"The Progress of This Task --> {done[0]}/{len(todo)} pairs ({name})")

        workers = min(self.parallel, max(1, len(pairs)))
        try:
            with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="pair") as pool:
                list(pool.map(infer, pairs))
        finally:
            progress.close()
        if failures:
            raise RuntimeError(
                f"{len(failures)} of {len(todo)} inference pairs failed:\n" + "\n".join(failures) + f"\n{_RESUME}"
            )

    def _progress_path(self) -> Path:
        digest = hashlib.sha256(task_abbr_from_cfg(self.cfg).encode("utf-8")).hexdigest()[:16]
        return progress_dir(self.work_dir) / f"{digest}.json"

    @property
    def _dump_options(self) -> dict[str, Any]:
        """The task config's dump settings, passed to every inferencer as the stock task does."""
        return {"dump_res_length": self.dump_res_length, "dump_only_message_path": self.dump_only_message_path}


def _pair_name(model_cfg: ConfigDict, dataset_cfg: ConfigDict) -> str:
    return task_abbr_from_cfg({"models": [model_cfg], "datasets": [[dataset_cfg]]})


def expected_answers(dataset: Any) -> int:
    """Answers a dataset asks for: one per row, or one per assistant turn of a row's ``chat``
    (the conversations ``ChatInferencer`` answers turn by turn)."""
    test = dataset.test
    if "chat" not in test.column_names:
        return len(test)
    return sum(sum(1 for m in chat if m.get("role") == "assistant") for chat in test["chat"])


def _totals(pairs: list[tuple[int, ConfigDict, ConfigDict, Any]]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for _, model_cfg, _, dataset in pairs:
        name = model_abbr_from_cfg(model_cfg)
        totals[name] = totals.get(name, 0) + expected_answers(dataset)
    return totals


class _Models:
    """Each model of the task built once, on first use, shared by its pairs; a model with an
    ``on_answer`` hook (``SimulacrumModel``) reports each answer under its abbr."""

    def __init__(self, cfgs: list[ConfigDict], on_answer: Callable[[str], None]) -> None:
        self._cfgs = cfgs
        self._on_answer = on_answer
        self._built: dict[int, Any] = {}
        self._locks = [threading.Lock() for _ in cfgs]

    def get(self, index: int) -> Any:
        with self._locks[index]:
            if index not in self._built:
                model = build_model_from_cfg(self._cfgs[index])
                if hasattr(model, "on_answer"):
                    abbr = model_abbr_from_cfg(self._cfgs[index])
                    model.on_answer = lambda: self._on_answer(abbr)
                self._built[index] = model
            return self._built[index]


def _infer_pair(
    model: Any,
    model_cfg: ConfigDict,
    dataset_cfg: ConfigDict,
    dataset: Any,
    out_root: str,
    dump_options: dict[str, Any],
) -> None:
    """What ``OpenICLInferTask._inference`` does for one pair, with local state only."""
    get_logger().info(f"Start inferencing {model_abbr_from_cfg(model_cfg)}/{dataset_cfg['abbr']}")
    infer_cfg = dataset_cfg["infer_cfg"]
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
