"""A run's config dump skips yapf, as OpenCompass asks; one evaluation task, in the opencompass process,
unless the evaluator calls a judge."""

from __future__ import annotations

from pathlib import Path

from mmengine.config import Config

from llmp_opencompass.adapters.config_dump import built_here, dump_unformatted
from llmp_opencompass.adapters.observer.builder import build as build_observer
from llmp_opencompass.adapters.selfreport.builder import build


def _env(data: Path, **extra: str) -> dict[str, str]:
    return {"LLMP_MODEL": "m", "LLMP_DATA_DIR": str(data), "LLMP_CHARACTERS": "Mary Jones", **extra}


def test_the_dump_of_a_built_config_is_unformatted_and_loads_back(shared_data_dir: Path, tmp_path: Path) -> None:
    built = build(["prompt", "macm"], _env(shared_data_dir))
    config = Config(built)  # as mmengine makes it from a config without imports: formatting asked for
    assert built_here(config)
    config.dump(tmp_path / "run.py")
    assert config._format_python_code is False
    again = Config.fromfile(tmp_path / "run.py")
    assert again.to_dict() == Config(built).to_dict()


def test_other_configs_are_formatted_as_before(tmp_path: Path) -> None:
    dump_unformatted()
    config = Config(dict(infer=dict(runner=dict(task=dict(type="opencompass.tasks.OpenICLInferTask"))), x=1))
    assert not built_here(config)
    config.dump(tmp_path / "other.py")
    assert config._format_python_code is True


def test_one_evaluation_task_in_process_unless_a_judge_calls_an_endpoint(shared_data_dir: Path) -> None:
    built = build("prompt", _env(shared_data_dir, LLMP_TASK_WORKERS="3"))
    assert built["infer"]["partitioner"]["num_worker"] == built["infer"]["runner"]["max_num_workers"] == 3
    assert built["eval"]["partitioner"]["num_worker"] == built["eval"]["runner"]["max_num_workers"] == 1
    assert built["eval"]["runner"]["type"] == "llmp_opencompass.adapters.runner.InProcessRunner"
    assert built["infer"]["runner"]["type"] == "llmp_opencompass.adapters.progress_runner.ProgressLocalRunner"
    judged = build_observer("prompt", _env(shared_data_dir, LLMP_TASK_WORKERS="3", LLMP_JUDGE_MODEL="judge-1"))
    assert judged["eval"]["partitioner"]["num_worker"] == 3
    assert judged["eval"]["runner"]["type"] == "opencompass.runners.LocalRunner"
    plain = build_observer("prompt", _env(shared_data_dir, LLMP_TASK_WORKERS="3"))
    assert plain["eval"]["partitioner"]["num_worker"] == 1
    assert plain["eval"]["runner"]["type"] == "llmp_opencompass.adapters.runner.InProcessRunner"
