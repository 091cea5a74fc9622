"""``llmp-opencompass memory build --slurm``: one real Slurm job per character, resumable, against
a scripted loopback endpoint (exact control: a build that fails midway, counted calls)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from llmp_opencompass.servers.scripted import Reply, ScriptedServer
from llmp_opencompass.simulacra.macm import checkpoint_files, read_memory_files
from tests.support.slurm import SlurmCluster

pytestmark = pytest.mark.e2e
CLI = Path(sys.executable).with_name("llmp-opencompass")
FRAGMENTS = {"Marsh Zhaleh": 63, "Michael Miller": 71}


class _Endpoint:
    """Answers every call; while ``failing``, refuses Michael Miller's after his first 40 (HTTP 400)."""

    def __init__(self) -> None:
        self.failing = True
        self.calls = {name: 0 for name in FRAGMENTS}
        self._lock = threading.Lock()

    def __call__(self, body: dict) -> Reply:
        text = " ".join(m["content"] for m in body["messages"])
        name = next((n for n in FRAGMENTS if n in text), None)
        with self._lock:
            if name:
                self.calls[name] += 1
            if self.failing and name == "Michael Miller" and self.calls[name] > 40:
                return Reply(None, status=400, raw_body=b'{"error": {"message": "scripted refusal"}}')
        return Reply("A quiet afternoon, remembered.")


def _build(cluster: SlurmCluster, server: ScriptedServer, data: Path, work: Path) -> subprocess.CompletedProcess:
    command = [str(CLI), "memory", "build", "--character", "Marsh Zhaleh", "--character", "Michael Miller",
               "--no-cache", "--workers", "8", "--slurm", "-p", cluster.partition, "--max-num-workers", "2",
               "--retry", "0", "-w", str(work / "jobs")]  # fmt: skip
    env = {**os.environ, **cluster.env, "OPENAI_BASE_URL": server.base_url, "LLMP_MODEL": "scripted",
           "LLMP_DATA_DIR": str(data)}  # fmt: skip
    return subprocess.run(command, cwd=work, env=env, capture_output=True, text=True, timeout=900)


def test_memory_fans_out_one_slurm_job_per_character_and_resumes(
    slurm_cluster: SlurmCluster, shared_data_dir: Path, tmp_path: Path
) -> None:
    endpoint = _Endpoint()
    steps_before = len(slurm_cluster.steps())
    with ScriptedServer(endpoint) as server:
        first = _build(slurm_cluster, server, shared_data_dir, tmp_path)
        assert first.returncode == 1, first.stdout + first.stderr
        assert "Michael Miller: FAILED" in first.stdout and "Marsh Zhaleh: built" in first.stdout
        assert len(slurm_cluster.steps()) == steps_before + 2  # one job step per character
        memories = tmp_path / "Memories"
        assert len(read_memory_files(memories / "Marsh Zhaleh", "Marsh Zhaleh").entries) == 63
        finished = sum(len(p.read_text().splitlines()) for p in checkpoint_files(memories / "Michael Miller"))
        assert 1 <= finished < 71 and not (memories / "Michael Miller" / "long_memory.json").exists()
        log = tmp_path / "jobs" / "logs" / "memory" / "memory" / "michael_miller.out"
        assert "scripted refusal" in log.read_text()

        endpoint.failing, calls_before = False, dict(endpoint.calls)
        second = _build(slurm_cluster, server, shared_data_dir, tmp_path)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "Marsh Zhaleh: memory already built" in second.stdout
    assert len(slurm_cluster.steps()) == steps_before + 3  # only Michael Miller ran again
    assert endpoint.calls["Marsh Zhaleh"] == calls_before["Marsh Zhaleh"]
    assert endpoint.calls["Michael Miller"] - calls_before["Michael Miller"] == 4 * (71 - finished)
    assert len(read_memory_files(memories / "Michael Miller", "Michael Miller").entries) == 71
    assert not checkpoint_files(memories / "Michael Miller")
