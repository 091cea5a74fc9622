"""Reliability through the real ``opencompass`` command, against scripted loopback servers
(exact control is needed: counting calls, killing mid-run, planting a key, no endpoint)."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from llmp_opencompass.data.store import HumanSimulacra
from llmp_opencompass.servers.scripted import Reply, ScriptedServer
from tests.support.opencompass_run import OFFLINE, OPENCOMPASS, PROJECT_ROOT, run_opencompass, summary_csv
from tests.support.oracle import oracle_reply, request_key

pytestmark = pytest.mark.e2e
TYPES = ("cloze", "single_choice", "multiple_choices")
SECRET = "sk-llmp-planted-4f1d9c2b7e"


def _env(server: ScriptedServer, data: Path, cache: Path, **extra: str) -> dict[str, str]:
    return {
        "OPENAI_BASE_URL": server.base_url, "LLMP_MODEL": "scripted", "LLMP_DATA_DIR": str(data),
        "LLMP_CACHE": "on", "LLMP_CACHE_DIR": str(cache), **extra,
    }  # fmt: skip


def _cached_keys(cache_dir: Path) -> set[str]:
    with sqlite3.connect(cache_dir / "llm_calls.sqlite") as db:
        return {row[0] for row in db.execute("SELECT key FROM calls")}


def test_scripted_rerun_with_warm_cache_makes_zero_calls(shared_data_dir: Path, tmp_path: Path) -> None:
    store = HumanSimulacra(shared_data_dir)
    with ScriptedServer(oracle_reply(store)) as server:
        env = _env(server, shared_data_dir, tmp_path / "cache", LLMP_CHARACTERS="Mary Jones")
        first = run_opencompass("configs/llmp_prompt.py", tmp_path / "first", env)
        assert len(server.requests) == 15
        second = run_opencompass("configs/llmp_prompt.py", tmp_path / "second", env)
        assert len(server.requests) == 15, "a rerun of the same config must be answered from the cache"
    assert summary_csv(first)["llmp-mary_jones-total"] == summary_csv(second)["llmp-mary_jones-total"]


def test_scripted_sigkill_mid_run_then_reuse_repeats_no_finished_call(shared_data_dir: Path, tmp_path: Path) -> None:
    store = HumanSimulacra(shared_data_dir)
    answer = oracle_reply(store)
    cache = tmp_path / "cache"
    with ScriptedServer(lambda body: Reply(answer(body).content, delay=0.3)) as server:
        env = _env(server, shared_data_dir, cache, LLMP_CHARACTERS="Mary Jones,Robert Scott",
                   LLMP_CONCURRENCY="1", LLMP_TASK_WORKERS="1")  # fmt: skip
        work = tmp_path / "run"
        work.mkdir()
        process = subprocess.Popen(
            [str(OPENCOMPASS), str(PROJECT_ROOT / "configs/llmp_prompt.py"), "-w", str(work / "out")],
            cwd=work, env={**os.environ, **OFFLINE, **env}, start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 600
        while len(server.requests) < 10 and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.1)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        finished_before_kill = _cached_keys(cache)
        assert 5 <= len(finished_before_kill) < 30, "the kill should land in the middle of the run"
        before = len(server.requests)
        run = run_opencompass("configs/llmp_prompt.py", work, env, "-r")
        repeated = {request_key(server, body) for body in server.requests[before:]} & finished_before_kill
    assert not repeated, f"{len(repeated)} calls finished before the kill were made again"
    for slug in ("mary_jones", "robert_scott"):
        assert summary_csv(run)[f"llmp-{slug}-total"]["prompt-scripted"] == "50.00"


def test_scripted_api_key_is_used_but_never_written(shared_data_dir: Path, tmp_path: Path) -> None:
    store = HumanSimulacra(shared_data_dir)
    with ScriptedServer(oracle_reply(store)) as server:
        env = _env(server, shared_data_dir, tmp_path / "cache", LLMP_CHARACTERS="Haley Collins", OPENAI_API_KEY=SECRET)
        run_opencompass("configs/llmp_prompt.py", tmp_path / "run", env)
    assert set(server.authorizations) == {f"Bearer {SECRET}"}
    leaks = [p for p in tmp_path.rglob("*") if p.is_file() and SECRET.encode() in p.read_bytes()]
    assert not leaks, f"the API key was written to {leaks}"


def test_unreachable_endpoint_fails_visibly_and_scores_nothing(shared_data_dir: Path, tmp_path: Path) -> None:
    env = {
        "OPENAI_BASE_URL": "http://127.0.0.1:9/v1", "LLMP_MODEL": "nowhere", "LLMP_DATA_DIR": str(shared_data_dir),
        "LLMP_CHARACTERS": "Mary Jones", "LLMP_RETRIES": "2", "LLMP_RETRY_MAX_WAIT": "0.1",
    }  # fmt: skip
    run = run_opencompass("configs/llmp_prompt.py", tmp_path, env)
    assert not list(run.glob("results/*/*.json")), "no result may be written for unanswered items"
    logs = "\n".join(p.read_text(errors="replace") for p in run.glob("logs/infer/**/*.out"))
    assert "http://127.0.0.1:9/v1" in logs and "giving up after 2 attempts" in logs
    assert re.search(r"task \S+ fail, see\n\S+logs/infer/", (tmp_path / "opencompass.log").read_text())
    assert summary_csv(run)["llmp-mary_jones-total"]["prompt-nowhere"] == "-"
