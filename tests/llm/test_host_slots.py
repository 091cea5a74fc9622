"""The per-endpoint limit shared by the processes of a machine: never more calls at once than
slots, however many processes and threads ask; a killed holder frees its slot; ``connect``
applies it to the endpoint's calls (scripted server)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from llmp_opencompass.llm import ChatMessage, ConnectOptions, Endpoint, GenerationConfig, connect
from llmp_opencompass.llm.host_slots import HostSlots, declare_slots, declared_slots, endpoint_slot_dir, withdraw_slots
from llmp_opencompass.servers.scripted import ScriptedServer
from tests.support.in_flight import InFlight

pytestmark = pytest.mark.slow  # several processes hold slots for a while

# One process: 4 threads each hold a slot 4 times for 50 ms and print their (start, end) times.
HOLDER = """
import json, sys, threading, time
from pathlib import Path
from llmp_opencompass.llm.host_slots import HostSlots
slots, spans, lock = HostSlots(Path(sys.argv[1]), int(sys.argv[2])), [], threading.Lock()
def work():
    for _ in range(4):
        with slots.hold():
            start = time.time(); time.sleep(0.05); end = time.time()
        with lock:
            spans.append((start, end))
threads = [threading.Thread(target=work) for _ in range(4)]
[t.start() for t in threads]; [t.join() for t in threads]
print(json.dumps(spans))
"""


def _most_at_once(spans: list[tuple[float, float]]) -> int:
    events = sorted([(s, 1) for s, _ in spans] + [(e, -1) for _, e in spans])
    current = most = 0
    for _, step in events:
        current += step
        most = max(most, current)
    return most


@pytest.mark.parametrize("n", [1, 2])
def test_processes_and_threads_together_keep_to_the_slots(n: int, tmp_path: Path) -> None:
    holders = [
        subprocess.Popen([sys.executable, "-c", HOLDER, str(tmp_path), str(n)], stdout=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    spans = [tuple(span) for h in holders for span in json.loads(h.communicate(timeout=120)[0])]
    assert len(spans) == 3 * 4 * 4
    assert _most_at_once(spans) == n  # never more, and the slots do get used


def test_a_killed_holder_frees_its_slot(tmp_path: Path) -> None:
    hold_forever = (
        "import sys, time; from pathlib import Path; from llmp_opencompass.llm.host_slots import HostSlots\n"
        "with HostSlots(Path(sys.argv[1]), 1).hold():\n    print('held', flush=True); time.sleep(300)"
    )
    holder = subprocess.Popen([sys.executable, "-c", hold_forever, str(tmp_path)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout and holder.stdout.readline().strip() == "held"
    got = threading.Event()

    def take() -> None:
        with HostSlots(tmp_path, 1).hold():
            got.set()

    threading.Thread(target=take, daemon=True).start()
    assert not got.wait(0.5), "the slot was taken twice"
    holder.kill()
    holder.wait()
    assert got.wait(10), "a killed process kept its slot"


def test_endpoints_have_separate_slots(tmp_path: Path) -> None:
    a, b = endpoint_slot_dir(tmp_path, "http://127.0.0.1:8000/v1"), endpoint_slot_dir(tmp_path, "http://h:1/v1")
    assert a != b and a == endpoint_slot_dir(tmp_path, "http://127.0.0.1:8000/v1/")
    with pytest.raises(ValueError, match="at least 1 slot"):
        HostSlots(tmp_path, 0)


def test_connect_sends_the_endpoint_no_more_than_its_slots(tmp_path: Path) -> None:
    counter = InFlight()
    with ScriptedServer(counter) as server:
        options = ConnectOptions(concurrency=8, endpoint_slots=2, slot_dir=tmp_path)
        chat = connect(Endpoint("scripted", server.base_url), options)
        threads = [
            threading.Thread(target=chat.complete, args=([ChatMessage("user", f"q{i}")], GenerationConfig()))
            for i in range(12)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert len(server.requests) == 12 and counter.most == 2
    with pytest.raises(ValueError, match="slot_dir"):
        ConnectOptions(endpoint_slots=1)


def test_connect_keeps_to_the_slots_a_running_server_declared(tmp_path: Path) -> None:
    counter = InFlight()
    with ScriptedServer(counter) as server:
        declare_slots(tmp_path, server.base_url, 1, os.getpid())
        assert declared_slots(tmp_path, server.base_url) == 1
        chat = connect(Endpoint("scripted", server.base_url), ConnectOptions(concurrency=8, slot_dir=tmp_path))
        threads = [
            threading.Thread(target=chat.complete, args=([ChatMessage("user", f"q{i}")], GenerationConfig()))
            for i in range(6)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        withdraw_slots(tmp_path, server.base_url)
    assert len(server.requests) == 6 and counter.most == 1
    assert declared_slots(tmp_path, server.base_url) is None


def test_a_declaration_of_a_dead_server_is_ignored(tmp_path: Path) -> None:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    declare_slots(tmp_path, "http://127.0.0.1:9/v1", 1, gone.pid)
    assert declared_slots(tmp_path, "http://127.0.0.1:9/v1") is None
