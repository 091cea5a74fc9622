"""Bandwagon ``-r`` after a SIGKILL in the middle of a session continues that session: no finished
call is asked again (with the call cache on or off), and the predictions and results are those of
an uninterrupted run. A scripted subject gives exact control of the replies and counts the calls;
before, ``-r`` started every unfinished session over from its first trial."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import pytest

from llmp_opencompass.llm import ChatMessage, GenerationConfig, cache_key
from llmp_opencompass.servers.scripted import Reply, ScriptedServer
from tests.adapters.bandwagon.test_scripted_e2e import _subject
from tests.support.opencompass_run import OFFLINE, OPENCOMPASS, PROJECT_ROOT, read_json, run_opencompass

pytestmark = pytest.mark.e2e
CONFIG = "configs/llmp_bandwagon.py"
DATASETS = ("llmp-bandwagon-mary_jones-group", "llmp-bandwagon-mary_jones-control")
MODEL = "prompt-scripted"
CALLS = 2 * 2 * 18  # conditions x sessions x trials
KILL_AFTER = 24  # requests: about 12 trials into the first session of each condition


class _Subject:
    """The scripted subject, answering after 0.15 s and remembering what it answered."""

    def __init__(self) -> None:
        self.answered: list[str] = []
        self._lock = threading.Lock()

    def __call__(self, body: dict) -> Reply:
        time.sleep(0.15)
        reply = _subject(body)
        with self._lock:
            self.answered.append(json.dumps(body, sort_keys=True))
        return reply


def _env(server: ScriptedServer, data: Path, cache: Path | None) -> dict[str, str]:
    return {
        "OPENAI_BASE_URL": server.base_url, "LLMP_MODEL": "scripted", "LLMP_DATA_DIR": str(data),
        "LLMP_CHARACTERS": "Mary Jones", "LLMP_METHODS": "prompt", "LLMP_TEMPERATURE": "0.5",
        "LLMP_BANDWAGON_SESSIONS": "2", "LLMP_CACHE": "on" if cache else "off", "LLMP_CACHE_DIR": str(cache or data),
    }  # fmt: skip


def _outputs(run: Path) -> dict[str, object]:
    return {f"{kind}/{d}": read_json(run, kind, MODEL, d) for kind in ("predictions", "results") for d in DATASETS}


@pytest.fixture(scope="module")
def uninterrupted(shared_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    with ScriptedServer(_Subject()) as server:
        run = run_opencompass(CONFIG, tmp_path_factory.mktemp("uninterrupted"), _env(server, shared_data_dir, None))
    assert len(server.requests) == CALLS
    return _outputs(run)


def _cached_keys(cache: Path) -> set[str]:
    with sqlite3.connect(cache / "llm_calls.sqlite") as db:
        return {row[0] for row in db.execute("SELECT key FROM calls")}


def _key(server: ScriptedServer, body: dict) -> str:
    messages = [ChatMessage(m["role"], m["content"]) for m in body["messages"]]
    config = GenerationConfig(temperature=body["temperature"], max_tokens=body["max_tokens"], seed=body["seed"])
    return cache_key(f"scripted@{server.base_url}", messages, config)


@pytest.mark.parametrize("cache", ["cache_on", "cache_off"])
def test_scripted_kill_mid_session_then_reuse_continues_the_session(
    cache: str, uninterrupted: dict[str, object], shared_data_dir: Path, tmp_path: Path
) -> None:
    subject = _Subject()
    cache_dir = tmp_path / "cache" if cache == "cache_on" else None
    with ScriptedServer(subject) as server:
        env = _env(server, shared_data_dir, cache_dir)
        work = tmp_path / "run"
        work.mkdir()
        process = subprocess.Popen(
            [str(OPENCOMPASS), str(PROJECT_ROOT / CONFIG), "-w", str(work / "out")],
            cwd=work, env={**os.environ, **OFFLINE, **env}, start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 600
        while len(server.requests) < KILL_AFTER and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.05)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        before = len(server.requests)
        assert KILL_AFTER <= before < CALLS - 4, "the kill should land in the middle of the sessions"
        answered_before = set(subject.answered)
        cached_before = _cached_keys(cache_dir) if cache_dir else set()
        run = run_opencompass(CONFIG, work, env, "-r")
        after = server.requests[before:]
    again = [b for b in after if _key(server, b) in cached_before]
    assert not again, f"{len(again)} calls in the cache before the kill were made again"
    repeated = [b for b in after if json.dumps(b, sort_keys=True) in answered_before]
    # at most the calls in flight at the kill (one per dataset) are asked again
    assert len(repeated) <= len(DATASETS), f"{len(repeated)} calls answered before the kill were made again"
    assert before + len(after) <= CALLS + len(DATASETS)
    assert _outputs(run) == uninterrupted, "the resumed sessions differ from an uninterrupted run"
    written = {p.name for p in (run / "predictions" / MODEL).iterdir()}
    assert written == {f"{d}.json" for d in DATASETS}, f"progress files left behind: {written}"
