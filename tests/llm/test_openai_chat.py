"""OpenAIChatModel and RetryingChatModel against a scripted loopback server."""

from __future__ import annotations

import itertools

import pytest

from llmp_opencompass.errors import EndpointError
from llmp_opencompass.llm import (
    ChatMessage,
    Endpoint,
    GenerationConfig,
    OpenAIChatModel,
    RetryingChatModel,
    RetryPolicy,
    TransientEndpointError,
)
from llmp_opencompass.servers.scripted import Reply, ScriptedServer

FAST = RetryPolicy(max_attempts=3, initial_wait=0.01, max_wait=0.05)
HELLO = [ChatMessage("system", "Be brief."), ChatMessage("user", "Hello?")]


def _model(url: str, **kw: object) -> OpenAIChatModel:
    return OpenAIChatModel(Endpoint(model="scripted", base_url=url, timeout=5, **kw))  # type: ignore[arg-type]


def test_scripted_server_request_carries_messages_and_generation_config() -> None:
    with ScriptedServer(lambda body: Reply("Hi there.")) as server:
        response = _model(server.base_url).complete(HELLO, GenerationConfig(temperature=0.0, max_tokens=7, seed=3))
    assert response.text == "Hi there."
    assert response.finish_reason == "stop"
    assert response.usage.calls == 1 and response.usage.prompt_tokens == 10
    body = server.requests[0]
    assert body["messages"] == [m.to_openai() for m in HELLO]
    assert (body["model"], body["temperature"], body["max_tokens"], body["seed"]) == ("scripted", 0.0, 7, 3)


def test_scripted_server_api_key_read_from_environment_at_request_time(monkeypatch: pytest.MonkeyPatch) -> None:
    with ScriptedServer(lambda body: Reply("ok")) as server:
        model = _model(server.base_url, api_key_env="LLMP_TEST_KEY")
        for key in ("first-key", "second-key"):
            monkeypatch.setenv("LLMP_TEST_KEY", key)
            model.complete(HELLO, GenerationConfig())
        monkeypatch.delenv("LLMP_TEST_KEY")
        model.complete(HELLO, GenerationConfig())
    assert server.authorizations == ["Bearer first-key", "Bearer second-key", "Bearer EMPTY"]
    assert "key" not in repr(model.endpoint).replace("api_key_env", "")


def test_scripted_server_transient_errors_are_retried_then_succeed() -> None:
    statuses = itertools.chain([500, 429, 200])
    with ScriptedServer(lambda body: Reply("fine", status=next(statuses))) as server:
        chat = RetryingChatModel(_model(server.base_url), FAST)
        assert chat.complete(HELLO, GenerationConfig()).text == "fine"
    assert len(server.requests) == 3


def test_scripted_server_persistent_5xx_raises_endpoint_error_naming_url() -> None:
    with ScriptedServer(lambda body: Reply(status=503)) as server:
        chat = RetryingChatModel(_model(server.base_url), FAST)
        with pytest.raises(EndpointError, match="giving up after 3 attempts") as info:
            chat.complete(HELLO, GenerationConfig())
    assert server.base_url in str(info.value) and "503" in str(info.value)
    assert len(server.requests) == 3


def test_scripted_server_client_error_is_not_retried() -> None:
    with ScriptedServer(lambda body: Reply(status=404)) as server:
        chat = RetryingChatModel(_model(server.base_url), FAST)
        with pytest.raises(EndpointError, match="LLMP_MODEL") as info:
            chat.complete(HELLO, GenerationConfig())
    assert not isinstance(info.value, TransientEndpointError)
    assert len(server.requests) == 1


def test_unreachable_endpoint_names_the_url() -> None:
    url = "http://127.0.0.1:9/v1"  # discard port: nothing listens
    with pytest.raises(EndpointError, match=r"127\.0\.0\.1:9/v1"):
        RetryingChatModel(_model(url), FAST).complete(HELLO, GenerationConfig())
