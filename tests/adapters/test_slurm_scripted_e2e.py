"""``scancel`` in the middle of an ``opencompass --slurm`` run, then ``-r``: the rerun finishes only
what is missing. On a real single-node Slurm cluster, against a scripted loopback endpoint
(exact control: when to cancel, which calls are made again)."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from llmp_opencompass.data.store import HumanSimulacra
from llmp_opencompass.llm.shards import SHARD_DIR, read_shards
from llmp_opencompass.servers.scripted import Reply, ScriptedServer
from tests.support.opencompass_run import OFFLINE, OPENCOMPASS, PROJECT_ROOT, run_opencompass, summary_csv
from tests.support.oracle import oracle_reply, request_key
from tests.support.slurm import SlurmCluster

pytestmark = pytest.mark.e2e
TYPES = ("cloze", "single_choice", "multiple_choices")
CHARACTERS = ("mary_jones", "robert_scott")


def _predictions(work: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in work.glob("out/*/predictions/*/*.json")}


def test_scancel_then_reuse_finishes_only_what_is_missing(
    slurm_cluster: SlurmCluster, shared_data_dir: Path, tmp_path: Path
) -> None:
    answer = oracle_reply(HumanSimulacra(shared_data_dir))
    cache, work = tmp_path / "cache", tmp_path / "run"
    work.mkdir()
    with ScriptedServer(lambda body: Reply(answer(body).content, delay=0.3)) as server:
        env = {"OPENAI_BASE_URL": server.base_url, "LLMP_MODEL": "scripted", "LLMP_DATA_DIR": str(shared_data_dir),
               "LLMP_CHARACTERS": "Mary Jones,Robert Scott", "LLMP_CONCURRENCY": "1", "LLMP_CACHE": "on",
               "LLMP_CACHE_DIR": str(cache), **slurm_cluster.env}  # fmt: skip
        slurm = ("--slurm", "-p", slurm_cluster.partition, "--max-num-workers", "1")
        process = subprocess.Popen(
            [str(OPENCOMPASS), str(PROJECT_ROOT / "configs/llmp_prompt.py"), "-w", str(work / "out"), *slurm,
             "--retry", "0"],
            cwd=work, env={**os.environ, **OFFLINE, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 1200
        while not _predictions(work) and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.1)
        slurm_cluster.scancel_all()  # the infer job, with pairs still to do
        assert process.wait(timeout=1200) == 0  # opencompass goes on to evaluate what it has
        finished = _predictions(work)
        assert 1 <= len(finished) < 2 * len(TYPES), "the cancel should land in the middle of the run"
        cached = {key for key, _ in read_shards(cache / SHARD_DIR)}
        before = len(server.requests)

        run = run_opencompass("configs/llmp_prompt.py", work, env, *slurm, "-r")
        asked = {request_key(server, body) for body in server.requests[before:]}
    assert not asked & cached, "a call answered before the cancel was made again"
    assert len(asked) + len(cached) >= 2 * 5 * len(TYPES) > len(asked)
    assert {p: p.read_bytes() for p in finished} == finished, "finished predictions must be kept as they are"
    for slug in CHARACTERS:
        assert summary_csv(run)[f"llmp-{slug}-total"]["prompt-scripted"] == "50.00"
