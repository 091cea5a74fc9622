"""``opencompass CONFIG --slurm -p P`` on a real single-node Slurm cluster (slurmctld, slurmd and
munge from Debian's packages, ``scripts/slurm-cluster.sh``), against the embedded SmolLM2 model
behind llama.cpp's server on loopback.

Each config runs through Slurm first, with a fresh call cache: its tasks must run as Slurm job
steps (counted in slurmd's log) and, being inside a Slurm job, write the call cache's shards,
never the SQLite file. The same config then runs locally on that cache and must make no call
at all (it reads the shards) and score exactly as the Slurm run did: the same answers give the
same predictions, results and summary whichever runner ran the tasks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from llmp_opencompass.llm.shards import SHARD_DIR, read_shards
from llmp_opencompass.servers.embedded import LocalModelServer
from tests.support.opencompass_run import read_json, run_opencompass, summary_csv, task_logs
from tests.support.slurm import SlurmCluster

pytestmark = pytest.mark.e2e
TYPES = ("cloze", "single_choice", "multiple_choices")


def _requests(server: LocalModelServer) -> int:
    """Chat requests the embedded server has answered so far (from its log)."""
    return server.config.log_path.read_text(errors="replace").count("POST /v1/chat/completions")


def _outputs(run: Path, column: str) -> dict[str, tuple[dict, dict]]:
    """Per dataset: the predictions and the results without the per-run noise."""
    found = {}
    for qtype in TYPES:
        abbr = f"llmp-mary_jones-{qtype}"
        predictions = read_json(run, "predictions", column, abbr)
        results = read_json(run, "results", column, abbr)
        found[abbr] = (predictions, results)
    return found


def _slurm_then_local(
    config: str, env: dict[str, str], cluster: SlurmCluster, server: LocalModelServer, tmp_path: Path
) -> tuple[Path, Path]:
    cache = tmp_path / "cache"
    env = {**env, **cluster.env, "LLMP_CACHE": "on", "LLMP_CACHE_DIR": str(cache)}
    steps, calls = len(cluster.steps()), _requests(server)
    slurm = run_opencompass(config, tmp_path / "slurm", env, "--slurm", "-p", cluster.partition,
                            "--max-num-workers", "2", timeout=2700)  # fmt: skip
    assert len(cluster.steps()) - steps == 2, f"expected one infer and one eval job step\n{task_logs(slurm)}"
    assert _requests(server) > calls
    assert not (cache / "llm_calls.sqlite").exists(), "a task inside a Slurm job must not write the SQLite file"
    assert list(read_shards(cache / SHARD_DIR)), "the tasks' calls must be in the shards"
    calls = _requests(server)
    local = run_opencompass(config, tmp_path / "local", env, timeout=2700)
    assert _requests(server) == calls, "the local run must find every answer in the Slurm run's shards"
    return slurm, local


def _env(server: LocalModelServer, data: Path, **extra: str) -> dict[str, str]:
    return {"OPENAI_BASE_URL": server.base_url, "LLMP_MODEL": server.model, "LLMP_DATA_DIR": str(data),
            "LLMP_CHARACTERS": "Mary Jones", "LLMP_MAX_OUT_LEN": "24", **extra}  # fmt: skip


def _same_scores(slurm: Path, local: Path, column: str) -> None:
    assert _outputs(slurm, column) == _outputs(local, column)
    assert summary_csv(slurm) == summary_csv(local)
    for qtype in TYPES:
        assert len(read_json(slurm, "results", column, f"llmp-mary_jones-{qtype}")["details"]) == 5


def test_prompt_config_through_slurm_scores_as_the_local_run(
    slurm_cluster: SlurmCluster, embedded_server: LocalModelServer, shared_data_dir: Path, tmp_path: Path
) -> None:
    env = _env(embedded_server, shared_data_dir)
    slurm, local = _slurm_then_local("configs/llmp_prompt.py", env, slurm_cluster, embedded_server, tmp_path)
    _same_scores(slurm, local, "prompt-smollm2")
    prompts = json.dumps(read_json(slurm, "predictions", "prompt-smollm2", "llmp-mary_jones-cloze"))
    assert "What is your name?" in prompts


def test_macm_config_through_slurm_scores_as_the_local_run(
    slurm_cluster: SlurmCluster, embedded_server: LocalModelServer, shared_data_dir: Path, tmp_path: Path
) -> None:
    # short replies: three calls per question, each with its own long prompt, on a CPU
    env = _env(embedded_server, shared_data_dir, LLMP_RETRIEVAL="embedding", LLMP_AGENT_MAX_TOKENS="8",
               LLMP_MAX_OUT_LEN="8", LLMP_INDEX_CACHE_DIR=str(tmp_path / "indexes"))  # fmt: skip
    slurm, local = _slurm_then_local("configs/llmp_macm.py", env, slurm_cluster, embedded_server, tmp_path)
    _same_scores(slurm, local, "macm-smollm2")
    result = read_json(slurm, "results", "macm-smollm2", "llmp-mary_jones-cloze")
    assert result["calls_per_question"] == 3 and result["rounds_per_question"] == 2
