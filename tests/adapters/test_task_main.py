"""The program of this package's task processes: the command OpenCompass's runner starts."""

from __future__ import annotations

import shlex
import sys

from llmp_opencompass.adapters.eval_task import IsolatedEvalTask
from llmp_opencompass.adapters.infer_task import ConcurrentInferTask
from llmp_opencompass.adapters.task_main import command


def test_the_command_names_the_task_class_and_survives_odd_folders():
    cfg = "/work dir (copy)/tmp/1234_params.py"
    line = command(ConcurrentInferTask, cfg)
    assert shlex.split(line) == [
        sys.executable, "-m", "llmp_opencompass.adapters.task_main",
        "llmp_opencompass.adapters.infer_task.ConcurrentInferTask", cfg,
    ]  # fmt: skip
    template = "CUDA_VISIBLE_DEVICES= {task_cmd}"
    assert IsolatedEvalTask.get_command(object.__new__(IsolatedEvalTask), cfg, template) == template.format(
        task_cmd=command(IsolatedEvalTask, cfg)
    )
