"""``LLMP_TIMEOUT`` bounds one attempt and ``LLMP_MAX_CALL_TIME`` a whole call, against a scripted
server that hangs; before, a hanging endpoint took 6 attempts x 300 s, about 30 minutes, per call."""

from __future__ import annotations

import threading
import time

import pytest

from llmp_opencompass.errors import EndpointError
from llmp_opencompass.llm import ChatMessage, ConnectOptions, Endpoint, GenerationConfig, connect
from llmp_opencompass.llm.openai_chat import DEFAULT_TIMEOUT
from llmp_opencompass.llm.retry import DEFAULT_MAX_CALL_TIME
from llmp_opencompass.servers.scripted import Reply, ScriptedServer
from llmp_opencompass.settings.connection import answer_endpoint, connect_options

ASK = [ChatMessage("user", "How old are you?")]


def _env(server: ScriptedServer, **extra: str) -> dict[str, str]:
    return {"OPENAI_BASE_URL": server.base_url, "LLMP_MODEL": "scripted", "LLMP_CACHE": "off",
            "LLMP_RETRY_MAX_WAIT": "0.05", **extra}  # fmt: skip


def _timed_call(env: dict[str, str]) -> tuple[float, str]:
    started = time.monotonic()
    with pytest.raises(EndpointError) as info:
        connect(answer_endpoint(env), connect_options(env)).complete(ASK, GenerationConfig())
    return time.monotonic() - started, str(info.value)


def test_defaults_are_documented_values() -> None:
    options = connect_options({})
    assert (options.timeout, options.retry.max_call_time) == (DEFAULT_TIMEOUT, DEFAULT_MAX_CALL_TIME) == (300, 600)


def test_scripted_llmp_timeout_bounds_each_attempt() -> None:
    with ScriptedServer(lambda body: Reply("late", delay=3.0)) as server:
        elapsed, message = _timed_call(_env(server, LLMP_TIMEOUT="0.4", LLMP_RETRIES="2"))
    assert len(server.requests) == 2 and elapsed < 2.0
    assert "Timeout" in message and "giving up after 2 attempts" in message


def test_scripted_llmp_max_call_time_bounds_the_whole_call() -> None:
    with ScriptedServer(lambda body: Reply("late", delay=5.0)) as server:
        elapsed, message = _timed_call(
            _env(server, LLMP_TIMEOUT="0.7", LLMP_RETRIES="50", LLMP_MAX_CALL_TIME="1.5")
        )
    assert 1.4 <= elapsed < 2.5, f"the call took {elapsed:.2f} s for a budget of 1.5 s"
    assert 2 <= len(server.requests) <= 4
    assert "in 1.5 s, the longest a call may take" in message and "LLMP_MAX_CALL_TIME" in message


def test_scripted_waiting_for_a_call_slot_does_not_count() -> None:
    """Two calls, one slot: the second queues 1 s behind the first, then needs 1 s itself; a call
    budget of 1.6 s is enough for each, because the queueing is not the endpoint's time."""
    with ScriptedServer(lambda body: Reply("fine", delay=1.0)) as server:
        env = _env(server, LLMP_TIMEOUT="5", LLMP_RETRIES="1", LLMP_MAX_CALL_TIME="1.6", LLMP_CONCURRENCY="1")
        chat = connect(answer_endpoint(env), connect_options(env))
        replies: list[str] = []
        threads = [threading.Thread(target=lambda: replies.append(chat.complete(ASK, GenerationConfig()).text))
                   for _ in range(2)]  # fmt: skip
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert replies == ["fine", "fine"]


def test_the_connection_carries_the_timeout_to_every_endpoint() -> None:
    options = ConnectOptions(timeout=7.5)
    chat = connect(Endpoint("m", "http://127.0.0.1:9/v1", timeout=300), options)
    transport = chat.inner  # retry -> transport (no call limit, no cache)
    assert transport.endpoint.timeout == 7.5
    with pytest.raises(ValueError, match="timeout must be a finite number"):
        ConnectOptions(timeout=0)
