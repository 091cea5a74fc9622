"""A reply far longer than ``max_tokens`` allows is cut before it is cached, stored or parsed, and
flagged: before, a 10 MB reply to ``max_tokens=16`` was kept whole (cache, predictions, results)."""

from __future__ import annotations

from pathlib import Path

import pytest

from llmp_opencompass.llm import ChatMessage, ConnectOptions, Endpoint, GenerationConfig, connect
from llmp_opencompass.llm.cache import CallCache, cache_key
from llmp_opencompass.llm.openai_chat import CHARS_PER_TOKEN, MIN_REPLY_CHARS, cap_reply
from llmp_opencompass.servers.scripted import Reply, ScriptedServer

ASK = [ChatMessage("user", "How old are you?")]
TEN_MB = "I am 29. " + "x" * (10 * 1024 * 1024)


def test_scripted_ten_megabyte_reply_is_cut_flagged_and_cached_cut(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    cache_file = tmp_path / "llm_calls.sqlite"
    config = GenerationConfig(max_tokens=16)
    with ScriptedServer(lambda body: Reply(TEN_MB)) as server:
        chat = connect(Endpoint("scripted", server.base_url, timeout=30), ConnectOptions(cache_file=cache_file))
        reply = chat.complete(ASK, config)
        again = chat.complete(ASK, config)
    assert reply.text == TEN_MB[:MIN_REPLY_CHARS] and reply.usage.cut_replies == 1
    assert again == reply and len(server.requests) == 1, "the cut reply is what the cache holds"
    assert cache_file.stat().st_size < 200_000
    stored = CallCache(cache_file).get(cache_key(f"scripted@{server.base_url}", ASK, config))
    assert stored is not None and len(stored.text) == MIN_REPLY_CHARS and stored.usage.cut_replies == 1
    assert "was cut to its first 4096 characters" in caplog.text and "max_tokens=16" in caplog.text


def test_the_cap_grows_with_max_tokens_and_leaves_normal_replies_alone() -> None:
    assert cap_reply("The answer is B.", 16) == ("The answer is B.", False)
    assert cap_reply("y" * 8000, 512) == ("y" * 8000, False)  # 512 tokens may hold 8192 characters
    text, cut = cap_reply("y" * 9000, 256)
    assert (len(text), cut) == (max(MIN_REPLY_CHARS, 256 * CHARS_PER_TOKEN), True)
