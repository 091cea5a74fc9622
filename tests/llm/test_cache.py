"""The persistent call cache: keys, the wrapper, concurrent writers, no secrets stored."""

from __future__ import annotations

import multiprocessing
from dataclasses import replace
from pathlib import Path

import pytest

from llmp_opencompass.llm import ChatMessage, Endpoint, GenerationConfig, OpenAIChatModel
from llmp_opencompass.llm.cache import CachingChatModel, CallCache, cache_key
from llmp_opencompass.llm.types import ChatResponse, Usage
from llmp_opencompass.servers.scripted import Reply, ScriptedServer

HELLO = [ChatMessage("user", "Hello?")]


@pytest.mark.parametrize(
    "change",
    [
        {"temperature": 0.5},
        {"max_tokens": 7},
        {"top_p": 0.9},
        {"seed": 1},
        {"stop": ("\n",)},
    ],
)
def test_every_generation_parameter_changes_the_key(change: dict) -> None:
    base = GenerationConfig()
    assert cache_key("m", HELLO, base) != cache_key("m", HELLO, replace(base, **change))


def test_endpoint_and_messages_change_the_key() -> None:
    config = GenerationConfig()
    assert cache_key("m", HELLO, config) == cache_key("m", list(HELLO), config)
    assert cache_key("m", HELLO, config) != cache_key("n", HELLO, config)
    assert cache_key("m", HELLO, config) != cache_key("m", [ChatMessage("system", "Hello?")], config)


def test_scripted_server_second_identical_call_is_served_from_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LLMP_TEST_SECRET", "sk-planted-secret-123")
    with ScriptedServer(lambda body: Reply("cached answer")) as server:
        inner = OpenAIChatModel(Endpoint("scripted", server.base_url, api_key_env="LLMP_TEST_SECRET"))
        chat = CachingChatModel(inner, CallCache(tmp_path / "calls.sqlite"), "scripted")
        first = chat.complete(HELLO, GenerationConfig())
        again = CachingChatModel(inner, CallCache(tmp_path / "calls.sqlite"), "scripted").complete(
            HELLO, GenerationConfig()
        )
    assert first == again and again.text == "cached answer"
    assert len(server.requests) == 1
    stored = b"".join(p.read_bytes() for p in tmp_path.iterdir())
    assert b"sk-planted-secret-123" not in stored


def _write_many(args: tuple[str, int]) -> int:
    path, worker = args
    cache = CallCache(Path(path))
    for i in range(100):
        cache.put(f"{worker}-{i}", ChatResponse(f"answer {worker} {i}", "stop", Usage(1, 2, 3)))
    return worker


@pytest.mark.slow  # starts processes that import the package
def test_concurrent_writer_processes_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "calls.sqlite"
    CallCache(path).close()
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        assert sorted(pool.map(_write_many, [(str(path), w) for w in range(4)])) == [0, 1, 2, 3]
    cache = CallCache(path)
    assert len(cache) == 400
    assert cache.get("3-99") == ChatResponse("answer 3 99", "stop", Usage(1, 2, 3))
