"""Fault injection against a deliberately misbehaving scripted OpenAI-compatible server on
loopback: every transient fault is retried within the policy, then fails with the URL and
the last error; nothing is ever returned as an empty answer."""

from __future__ import annotations

import time

import pytest

from llmp_opencompass.errors import EndpointError
from llmp_opencompass.llm import ChatMessage, Endpoint, GenerationConfig, OpenAIChatModel, RetryingChatModel
from llmp_opencompass.llm.retry import RetryPolicy
from llmp_opencompass.servers.scripted import Reply, ScriptedServer

FAULTS = {
    "429_no_retry_after": Reply(status=429),
    "500": Reply(status=500),
    "502": Reply(status=502),
    "503": Reply(status=503),
    "timeout": Reply("too late", delay=1.5),
    "connection_reset": Reply(reset=True),
    "truncated_body": Reply("x" * 80, truncate=True),
    "non_json_body": Reply(raw_body=b"<html>Bad gateway</html>"),
    "json_without_choices": Reply(raw_body=b'{"error": "overloaded"}'),
    "empty_content": Reply(""),
    "null_content": Reply(None),
}
POLICY = RetryPolicy(max_attempts=3, initial_wait=0.01, max_wait=2.0)
ASK = [ChatMessage("user", "How old are you?")]


def _chat(server: ScriptedServer) -> RetryingChatModel:
    return RetryingChatModel(OpenAIChatModel(Endpoint("scripted", server.base_url, timeout=0.5)), POLICY)


def _then_ok(fault: Reply, failures: int = 1):
    count = {"n": 0}

    def respond(body: dict) -> Reply:
        count["n"] += 1
        return fault if count["n"] <= failures else Reply("I am 29. The answer is 29.")

    return respond


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_scripted_fault_once_then_answer_is_retried(fault: str) -> None:
    with ScriptedServer(_then_ok(FAULTS[fault])) as server:
        response = _chat(server).complete(ASK, GenerationConfig())
    assert response.text == "I am 29. The answer is 29."
    assert len(server.requests) == 2


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_scripted_persistent_fault_fails_with_url_and_last_error(fault: str) -> None:
    with ScriptedServer(lambda body: FAULTS[fault]) as server, pytest.raises(EndpointError) as info:
        _chat(server).complete(ASK, GenerationConfig())
    message = str(info.value)
    assert server.base_url in message and "giving up after 3 attempts" in message
    assert len(server.requests) == 3


def test_scripted_429_retry_after_is_honoured() -> None:
    with ScriptedServer(_then_ok(Reply(status=429, headers={"Retry-After": "1"}))) as server:
        started = time.monotonic()
        _chat(server).complete(ASK, GenerationConfig())
    assert time.monotonic() - started >= 0.95


def test_scripted_length_finish_is_an_answer_not_a_fault() -> None:
    with ScriptedServer(lambda body: Reply("I was born in", finish_reason="length")) as server:
        response = _chat(server).complete(ASK, GenerationConfig(max_tokens=4))
    assert (response.text, response.finish_reason, len(server.requests)) == ("I was born in", "length", 1)


@pytest.mark.parametrize("status", [400, 401, 404, 422])
def test_scripted_client_errors_fail_at_once(status: int) -> None:
    with ScriptedServer(lambda body: Reply(status=status)) as server, pytest.raises(EndpointError, match=str(status)):
        _chat(server).complete(ASK, GenerationConfig())
    assert len(server.requests) == 1
