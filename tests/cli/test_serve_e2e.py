"""``llmp-opencompass serve -- CMD`` with the real embedded server and real commands: the command
reaches the server through the variables serve sets, its exit status comes back, and a SIGTERM
to the wrapper stops the command, what it started and the server, leaving nothing behind."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import psutil
import pytest

pytestmark = pytest.mark.e2e
CLI = Path(sys.executable).with_name("llmp-opencompass")

# The wrapped command: one chat call to the server it is given, a record of what it saw, a
# child of its own, then a long wait (the test stops it) or an exit with status 3.
COMMAND = """
import json, os, subprocess, sys, time, urllib.request
body = {"model": os.environ["LLMP_MODEL"], "messages": [{"role": "user", "content": "Hi"}], "max_tokens": 2}
request = urllib.request.Request(os.environ["OPENAI_BASE_URL"] + "/chat/completions", json.dumps(body).encode(),
                                 {"Content-Type": "application/json"})
reply = json.load(urllib.request.urlopen(request, timeout=300))
child = subprocess.Popen(["sleep", "300"])
seen = {k: os.environ[k] for k in ("OPENAI_BASE_URL", "LLMP_MODEL", "LLMP_ENDPOINT_SLOTS")}
seen.update(pid=os.getpid(), child=child.pid, answered=bool(reply["choices"]))
open(sys.argv[1], "w").write(json.dumps(seen))
if sys.argv[2] == "wait":
    time.sleep(300)
sys.exit(3)
"""


def _serve(record: Path, mode: str, log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [str(CLI), "serve", "--grace", "5", "--log", str(log), "--", sys.executable, "-c", COMMAND, str(record), mode],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip


def _wait_for_record(record: Path, wrapper: subprocess.Popen[bytes]) -> dict:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and wrapper.poll() is None:
        if record.is_file() and record.read_text():
            return json.loads(record.read_text())
        time.sleep(0.1)
    raise AssertionError(f"the wrapped command never ran: {wrapper.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]


def _server_pid(wrapper: subprocess.Popen[bytes]) -> int:
    (server,) = [p for p in psutil.Process(wrapper.pid).children() if "llama_cpp.server" in " ".join(p.cmdline())]
    return server.pid


def _gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def test_serve_passes_the_commands_exit_status_and_points_it_at_the_server(tmp_path: Path) -> None:
    record = tmp_path / "seen.json"
    wrapper = _serve(record, "exit", tmp_path / "server.log")
    seen = _wait_for_record(record, wrapper)
    assert wrapper.wait(timeout=120) == 3
    assert seen["answered"] and seen["LLMP_MODEL"] == "smollm2" and seen["LLMP_ENDPOINT_SLOTS"] == "1"
    url = urllib.parse.urlsplit(seen["OPENAI_BASE_URL"])
    assert (url.hostname, url.path) == ("127.0.0.1", "/v1")
    assert _gone(seen["child"]), "the command's child outlived the command"
    with pytest.raises(ConnectionRefusedError), socket.create_connection((url.hostname, url.port), timeout=5):
        pass  # the server is stopped


def test_sigterm_to_serve_stops_the_command_its_children_and_the_server(tmp_path: Path) -> None:
    record = tmp_path / "seen.json"
    wrapper = _serve(record, "wait", tmp_path / "server.log")
    seen = _wait_for_record(record, wrapper)
    server = _server_pid(wrapper)
    started = time.monotonic()
    os.kill(wrapper.pid, signal.SIGTERM)
    assert wrapper.wait(timeout=60) == 128 + signal.SIGTERM  # the command's status: ended by SIGTERM
    assert time.monotonic() - started < 30
    left = [pid for pid in (seen["pid"], seen["child"], server) if not _gone(pid)]
    assert not left, f"still running after SIGTERM: {left}"
    assert b"embedded model server stopped" in wrapper.stderr.read()  # type: ignore[union-attr]
