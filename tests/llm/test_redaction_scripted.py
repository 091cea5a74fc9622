"""The API key never appears in an error message, a log line or a stored reply, even when a
scripted server echoes the request's ``Authorization`` header back."""

from __future__ import annotations

import logging
import traceback

import pytest

from llmp_opencompass.errors import EndpointError
from llmp_opencompass.llm import ChatMessage, ConnectOptions, Endpoint, GenerationConfig, RetryPolicy, connect
from llmp_opencompass.llm.redact import REDACTED, redact_error, redact_reply
from llmp_opencompass.servers.scripted import Reply, ScriptedServer

SECRET = "sk-llmp-echoed-9c41aa07d2"
ASK = [ChatMessage("user", "How old are you?")]
FAST = ConnectOptions(retry=RetryPolicy(max_attempts=2, initial_wait=0.01, max_wait=0.01))


def _echo(server: ScriptedServer, status: int, as_content: bool = False) -> Reply:
    header = server.authorizations[-1]
    if as_content:
        return Reply(f"You sent {header}; the key is {header.split()[-1]}.")
    body = f'{{"error": {{"message": "invalid token in header Authorization: {header}", "api_key": "{SECRET}"}}}}'
    return Reply(status=status, raw_body=body.encode())


def _everything(info: pytest.ExceptionInfo) -> str:
    return "".join(traceback.format_exception(info.value))


@pytest.mark.parametrize("status", [401, 403, 500, 503])
def test_scripted_echoed_key_is_redacted_from_errors_tracebacks_and_logs(
    status: int, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    caplog.set_level(logging.DEBUG)
    server = ScriptedServer(lambda body: _echo(server, status))
    with server, pytest.raises(EndpointError) as info:
        connect(Endpoint("scripted", server.base_url, timeout=5), FAST).complete(ASK, GenerationConfig())
    assert server.authorizations[0] == f"Bearer {SECRET}", "the key must still be sent"
    text = _everything(info) + caplog.text
    assert SECRET not in text and SECRET[3:12] not in text
    assert f"HTTP {status}" in str(info.value) and REDACTED in str(info.value)


def test_scripted_reply_quoting_the_key_is_stored_without_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    server = ScriptedServer(lambda body: _echo(server, 200, as_content=True))
    with server:
        reply = connect(Endpoint("scripted", server.base_url, timeout=5), FAST).complete(ASK, GenerationConfig())
    assert reply.text == f"You sent Bearer {REDACTED}; the key is {REDACTED}."


def test_redaction_rules() -> None:
    assert redact_error("Bearer abc.def-1 and api_key=xyz and key abcd1234", "abcd1234") == (
        f"Bearer {REDACTED} and api_key= {REDACTED} and key {REDACTED}"
    )
    assert redact_error("EMPTY is fine", "EMPTY") == "EMPTY is fine"
    assert redact_reply("a bearer of news, key abc", "abc") == "a bearer of news, key abc"  # too short to be a key


def test_scripted_embedding_endpoint_echoing_the_key_is_redacted(monkeypatch: pytest.MonkeyPatch) -> None:
    from llmp_opencompass.retrieval import OpenAIEmbedder

    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    server = ScriptedServer(lambda body: _echo(server, 401))
    with server, pytest.raises(EndpointError) as info:
        OpenAIEmbedder("embed-small", server.base_url).embed(["a passage"])
    assert SECRET not in _everything(info) and "embedding model 'embed-small'" in str(info.value)
