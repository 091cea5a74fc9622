"""``llmp-opencompass cache info | merge`` on a cache directory with shards of cluster runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from llmp_opencompass.cli.main import main
from llmp_opencompass.llm.shards import SHARD_DIR, ShardStore
from llmp_opencompass.llm.types import ChatResponse, Usage


def test_cache_merge_then_info(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setenv("LLMP_CACHE_DIR", str(tmp_path))
    for key in ("a", "b", "c"):
        ShardStore(tmp_path / SHARD_DIR).put(key, ChatResponse(key, "stop", Usage()))
    assert main(["cache", "info"]) == 0
    assert "0 answers" in capsys.readouterr().out
    assert main(["cache", "merge", "--min-age", "0"]) == 0
    assert "merged 3 shards (3 new answers; 3 in all" in capsys.readouterr().out
    assert main(["cache", "info"]) == 0
    out = capsys.readouterr().out
    assert f"{tmp_path / 'llm_calls.sqlite'}: 3 answers" in out and "1 shards, 3 answers" in out
