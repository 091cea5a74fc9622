"""Every config keeps its partitioner and inference task under ``opencompass --slurm`` / ``--dlc``,
while OpenCompass's own runner settings (partition, quotatype, qos, retry, --max-num-workers)
apply. These tests call OpenCompass's real stage fillers on the configs as OpenCompass loads
them; the runs through a real Slurm cluster are in ``test_slurm_e2e.py``."""

from __future__ import annotations

import argparse
from pathlib import Path

import opencompass.cli.main as cli
import pytest
from mmengine.config import Config
from opencompass.registry import PARTITIONERS, RUNNERS
from opencompass.runners import LocalRunner, SlurmRunner

from llmp_opencompass.adapters import launch
from llmp_opencompass.adapters.eval_task import IsolatedEvalTask
from llmp_opencompass.adapters.infer_task import ConcurrentInferTask
from llmp_opencompass.adapters.partitioner import GroupedPartitioner
from llmp_opencompass.errors import ConfigError
from tests.conftest import PROJECT_ROOT

OUR_CONFIGS = ("llmp_blank", "llmp_prompt", "llmp_rag", "llmp_macm", "llmp_all", "llmp_bandwagon", "llmp_jung",
               "llmp_observer", "llmp_fastchat_example")  # fmt: skip


def _args(**changes: object) -> argparse.Namespace:
    """The namespace OpenCompass's parser gives for ``--slurm -p P -q Q --retry 3 --max-num-workers 5``."""
    values = dict(slurm=True, dlc=False, partition="llmp", quotatype="spot", qos=None, retry=3,
                  max_num_workers=5, max_workers_per_gpu=1, debug=False)  # fmt: skip
    return argparse.Namespace(**{**values, **changes})


@pytest.fixture
def wrapped(monkeypatch: pytest.MonkeyPatch) -> None:
    """OpenCompass's CLI with its fillers wrapped (restored afterwards)."""
    for name in ("fill_infer_cfg", "fill_eval_cfg"):
        monkeypatch.setattr(cli, name, getattr(cli, name))  # records the original for undo
    assert launch.keep_stages_under_launchers()


@pytest.fixture
def config_env(monkeypatch: pytest.MonkeyPatch, shared_data_dir: Path) -> None:
    monkeypatch.setenv("LLMP_MODEL", "smollm2")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("LLMP_DATA_DIR", str(shared_data_dir))
    monkeypatch.setenv("LLMP_CHARACTERS", "Mary Jones,Haley Collins")  # two, so that tasks can differ


def _load(name: str, tmp_path: Path) -> Config:
    """A config as OpenCompass loads it, with its work dir (the dump and reload OpenCompass does
    next leave these plain values as they are)."""
    path = PROJECT_ROOT / "configs" / (f"{name}.py" if "/" not in name else name)
    cfg = Config.fromfile(str(path), format_python_code=False)
    cfg["work_dir"], cfg["lark_bot_url"] = str(tmp_path / "run"), None
    return cfg


def _fill(cfg: Config, args: argparse.Namespace) -> None:
    """What ``opencompass.cli.main.main`` does with the stages before building them."""
    cli.fill_infer_cfg(cfg, args)
    cli.fill_eval_cfg(cfg, args)


def test_the_partitioner_type_string_names_the_class() -> None:
    assert f"{GroupedPartitioner.__module__}.{GroupedPartitioner.__name__}" == launch.GROUPED_PARTITIONER


def test_keep_stage_restores_partitioner_and_task_and_keeps_the_runner() -> None:
    ours = dict(partitioner=dict(type=launch.GROUPED_PARTITIONER, num_worker=2),
                runner=dict(type="LocalRunner", max_num_workers=2, task=dict(type="Ours")))  # fmt: skip
    filled = dict(partitioner=dict(type="NumWorkerPartitioner", num_worker=7),
                  runner=dict(type="SlurmRunner", partition="p", max_num_workers=7, retry=1,
                              task=dict(type="Stock")))  # fmt: skip
    launch.keep_stage(ours, filled, 7)
    assert filled["partitioner"] == dict(type=launch.GROUPED_PARTITIONER, num_worker=7)
    assert filled["runner"] == dict(type="SlurmRunner", partition="p", max_num_workers=7, retry=1,
                                    task=dict(type="Ours"))  # fmt: skip


@pytest.mark.slow  # each config loads the data
@pytest.mark.parametrize("name", OUR_CONFIGS)
def test_every_config_keeps_its_stages_under_slurm(
    name: str, wrapped: None, config_env: None, tmp_path: Path
) -> None:
    cfg = _load(name, tmp_path)
    _fill(cfg, _args())
    for stage, task in (("infer", ConcurrentInferTask), ("eval", None)):
        partitioner = PARTITIONERS.build({**cfg[stage]["partitioner"], "out_dir": str(tmp_path / stage)})
        assert isinstance(partitioner, GroupedPartitioner) and partitioner.num_worker == 5
        runner = RUNNERS.build(cfg[stage]["runner"])
        assert isinstance(runner, SlurmRunner)
        assert (runner.partition, runner.quotatype, runner.retry, runner.max_num_workers) == ("llmp", "spot", 3, 5)
        tasks = partitioner(cfg)
        assert 1 <= len(tasks) <= 5
        if task is not None:
            assert cfg[stage]["runner"]["task"]["type"] == f"{task.__module__}.{task.__name__}"
        else:
            assert cfg[stage]["runner"]["task"]["type"] == f"{IsolatedEvalTask.__module__}.IsolatedEvalTask"


@pytest.mark.slow
def test_one_worker_makes_one_task_holding_every_pair(wrapped: None, config_env: None, tmp_path: Path) -> None:
    cfg = _load("llmp_all", tmp_path)
    _fill(cfg, _args(max_num_workers=1))
    (task,) = PARTITIONERS.build({**cfg["infer"]["partitioner"], "out_dir": str(tmp_path)})(cfg)
    assert len(task["models"]) == 2 * 4 and sum(len(d) for d in task["datasets"]) == 2 * 4 * 3


@pytest.mark.slow
def test_without_a_launcher_the_config_stages_stay(wrapped: None, config_env: None, tmp_path: Path) -> None:
    """Locally OpenCompass does not fill a config that has stages; the builder's workers apply."""
    cfg = _load("llmp_prompt", tmp_path)
    assert cfg["infer"]["partitioner"] == dict(type=launch.GROUPED_PARTITIONER, num_worker=2)
    assert isinstance(RUNNERS.build(cfg["infer"]["runner"]), LocalRunner)


@pytest.mark.slow
def test_stock_stages_of_other_configs_are_untouched(wrapped: None, config_env: None, tmp_path: Path) -> None:
    cfg = _load("examples/llmp_dropin_openai_sdk.py", tmp_path)
    _fill(cfg, _args())
    assert cfg["infer"]["partitioner"]["type"].endswith("NumWorkerPartitioner")
    assert cfg["infer"]["runner"]["task"]["type"].endswith("OpenICLInferTask")
    assert cfg["eval"]["partitioner"]["type"].endswith("NaivePartitioner")


def test_wrapping_twice_wraps_once(wrapped: None) -> None:
    first = cli.fill_infer_cfg
    assert launch.keep_stages_under_launchers()
    assert cli.fill_infer_cfg is first


def test_an_opencompass_without_the_fillers_fails_loudly_under_slurm(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(cli, "fill_infer_cfg")
    with pytest.raises(ConfigError, match="fill_infer_cfg"):
        launch.keep_stages_under_launchers(["opencompass", "c.py", "--slurm", "-p", "x"])
    assert not launch.keep_stages_under_launchers(["opencompass", "c.py"])
