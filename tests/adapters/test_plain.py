"""Typed options to plain config values and back, with errors that name the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from llmp_opencompass.adapters.plain import from_plain, to_plain
from llmp_opencompass.errors import ConfigError
from llmp_opencompass.llm import ConnectOptions, RetryPolicy
from llmp_opencompass.retrieval import ChunkingConfig
from llmp_opencompass.simulacra import MethodOptions


def test_round_trip_of_nested_records(tmp_path: Path) -> None:
    options = MethodOptions(rag_k=5, chunking=ChunkingConfig(256, 16), index_cache_dir=tmp_path)
    plain = to_plain(options)
    assert plain["chunking"] == {"size": 256, "overlap": 16} and plain["index_cache_dir"] == str(tmp_path)
    assert from_plain(MethodOptions, plain, where="x") == options
    connection = ConnectOptions(RetryPolicy(max_attempts=2), tmp_path / "c.sqlite", concurrency=3)
    assert from_plain(ConnectOptions, to_plain(connection), where="x") == connection
    assert from_plain(ConnectOptions, None, where="x") == ConnectOptions()


def test_unknown_keys_and_bad_values_are_named() -> None:
    with pytest.raises(ConfigError, match=r"where: unknown keys \['k'\]; valid keys: rag_k, chunking"):
        from_plain(MethodOptions, {"k": 3}, where="where")
    with pytest.raises(ConfigError, match=r"where\.chunking: chunking needs size >= 1"):
        from_plain(MethodOptions, {"chunking": {"size": 0, "overlap": 0}}, where="where")
