"""``chat`` with a broken call cache: a corrupt one is moved aside and the chat goes on; one that
cannot be opened is one line naming the file and the fix (before: a raw sqlite traceback)."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from llmp_opencompass.cli.main import main
from llmp_opencompass.servers.scripted import Reply, ScriptedServer


def _chat(server: ScriptedServer, cache: Path, data: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    for name, value in {"OPENAI_BASE_URL": server.base_url, "LLMP_MODEL": "scripted", "LLMP_CACHE": "on",
                        "LLMP_CACHE_DIR": str(cache), "LLMP_DATA_DIR": str(data)}.items():  # fmt: skip
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(sys, "stdin", io.StringIO("How old are you?\n/exit\n"))
    return main(["chat", "--character", "Mary Jones", "--method", "prompt"])


def test_scripted_chat_goes_on_past_a_corrupt_cache(
    tmp_path: Path, shared_data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture,
    caplog: pytest.LogCaptureFixture,
) -> None:
    (tmp_path / "llm_calls.sqlite").write_bytes(b"\x00garbage" * 4096)
    with ScriptedServer(lambda body: Reply("I am 29.")) as server:
        assert _chat(server, tmp_path, shared_data_dir, monkeypatch) == 0
    captured = capsys.readouterr()
    assert "Mary Jones: I am 29." in captured.out
    assert "moved it aside" in caplog.text and str(tmp_path / "llm_calls.sqlite") in caplog.text  # a warning
    assert "Traceback" not in captured.err


def test_scripted_chat_with_an_unopenable_cache_prints_one_line(
    tmp_path: Path, shared_data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    (tmp_path / "llm_calls.sqlite").mkdir()
    with ScriptedServer(lambda body: Reply("I am 29.")) as server:
        assert _chat(server, tmp_path, shared_data_dir, monkeypatch) == 2
        assert not server.requests
    error = capsys.readouterr().err.strip()
    assert error.count("\n") == 0 and error.startswith("llmp-opencompass: error: cannot open the LLM call cache")
    assert "LLMP_CACHE=off" in error and "Traceback" not in error
