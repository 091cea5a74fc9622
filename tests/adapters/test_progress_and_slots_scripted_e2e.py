"""A run against an endpoint that serves one call at a time (like the embedded llama.cpp
server), through the real ``opencompass`` command with the default 2 tasks x 4 calls: with
``LLMP_ENDPOINT_SLOTS=1`` the endpoint never has two calls at once, and the run prints
readable progress (answers of total per method, time left) while it infers; its inference
tasks are forked from the ``opencompass`` process, so they import nothing again. Scripted,
to count the calls in flight at the endpoint."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from llmp_opencompass.servers.scripted import ScriptedServer
from tests.support.in_flight import InFlight
from tests.support.opencompass_run import read_json, run_opencompass

pytestmark = pytest.mark.e2e
IMPORTS = re.compile(r"imports and config: ([0-9.]+)s")
LINE = re.compile(
    r"\[llmp\] (?P<method>[\w.-]+): (?P<done>\d+)/(?P<total>\d+) answered \(\d+%\) in [^,]+, (?P<left>.+)"
)


def test_scripted_single_slot_endpoint_gets_one_call_at_a_time_and_progress_is_shown(
    shared_data_dir: Path, tmp_path: Path
) -> None:
    counter = InFlight("The answer is A", delay=0.25)
    with ScriptedServer(counter) as server:
        env = {
            "OPENAI_BASE_URL": server.base_url, "LLMP_MODEL": "scripted", "LLMP_DATA_DIR": str(shared_data_dir),
            "LLMP_CHARACTERS": "Mary Jones,Robert Scott", "LLMP_ENDPOINT_SLOTS": "1", "LLMP_PROGRESS_INTERVAL": "1",
            "XDG_RUNTIME_DIR": str(tmp_path / "runtime"),
        }  # fmt: skip
        run = run_opencompass("configs/llmp_prompt.py", tmp_path, env)
    assert len(server.requests) == 30 and counter.most == 1
    for slug in ("mary_jones", "robert_scott"):
        assert len(read_json(run, "results", "prompt-scripted", f"llmp-{slug}-cloze")["details"]) == 5
    lines = [m.groupdict() for m in map(LINE.search, (tmp_path / "opencompass.log").read_text().splitlines()) if m]
    assert {line["method"] for line in lines} == {"prompt-scripted"} and all(line["total"] == "30" for line in lines)
    assert lines[-1]["done"] == "30" and lines[-1]["left"] == "done"
    assert any(0 < int(line["done"]) < 30 and line["left"].startswith("about ") for line in lines), lines
    ready = [float(m) for p in run.glob("logs/infer/**/*.out") for m in IMPORTS.findall(p.read_text())]
    assert len(ready) == 2, "one line per inference task (2 tasks)"
    assert max(ready) < 0.5, f"a forked task starts at once; a new Python process imports for seconds: {ready}"
