"""The call cache's shards: one append-only file per writing process, readable by every host,
and the layout each process writes (SQLite on one host, shards on a cluster's nodes)."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

import pytest

from llmp_opencompass.errors import ConfigError
from llmp_opencompass.llm import ChatMessage, ConnectOptions, Endpoint, GenerationConfig, connect
from llmp_opencompass.llm.cache import CallCache
from llmp_opencompass.llm.merge import merge_shards
from llmp_opencompass.llm.shards import SHARD_DIR, ShardStore, read_shards
from llmp_opencompass.llm.types import ChatResponse, Usage
from llmp_opencompass.servers.scripted import Reply, ScriptedServer
from llmp_opencompass.settings.connection import connect_options, for_this_process

ANSWER = ChatResponse("an answer", "stop", Usage(1, 2, 3))
HELLO = [ChatMessage("user", "Hello?")]


def test_an_entry_written_by_one_process_is_read_by_another(tmp_path: Path) -> None:
    writer, reader = ShardStore(tmp_path), ShardStore(tmp_path, writable=False, rescan=0)
    assert reader.get("k") is None
    writer.put("k", ANSWER)
    assert writer.get("k") == ANSWER and reader.get("k") == ANSWER
    assert [p.name for p in tmp_path.iterdir()] == [writer.path.name]
    assert reader.path is None  # a reader writes nothing


def test_each_writer_appends_to_a_file_of_its_own(tmp_path: Path) -> None:
    first, second = ShardStore(tmp_path, rescan=0), ShardStore(tmp_path, rescan=0)
    first.put("a", ANSWER)
    second.put("b", ANSWER)
    assert first.path != second.path and len(list(tmp_path.iterdir())) == 2
    assert first.get("b") == ANSWER and second.get("a") == ANSWER and len(first) == 2


def test_a_line_being_written_is_read_once_complete(tmp_path: Path) -> None:
    line = json.dumps({"key": "k", "response": {"text": "t", "finish_reason": None, "usage": {}}}).encode()
    shard = tmp_path / "other-host-1-ab.jsonl"
    shard.write_bytes(line[:20])  # what a reader on another host may see of a write in progress
    reader = ShardStore(tmp_path, writable=False, rescan=0)
    assert reader.get("k") is None and list(read_shards(tmp_path)) == []
    with shard.open("ab") as out:
        out.write(line[20:] + b"\n")
    assert reader.get("k") == ChatResponse("t", None, Usage())


def test_a_line_cut_short_by_a_killed_writer_is_skipped(tmp_path: Path) -> None:
    good = json.dumps({"key": "ok", "response": {"text": "t", "usage": {}}})
    (tmp_path / "dead-1-ab.jsonl").write_text('{"key": "torn", "respo\n' + good + "\n")
    assert ShardStore(tmp_path, writable=False).get("ok") is not None
    assert [key for key, _ in read_shards(tmp_path)] == ["ok"]


def test_a_cache_that_cannot_be_written_does_not_fail_the_call(tmp_path: Path, caplog) -> None:
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("")
    store = ShardStore(blocked)
    store.put("k", ANSWER)  # logged, not raised
    assert not store.writable and "cannot write" in caplog.text


def _write_many(args: tuple[str, int]) -> int:
    directory, worker = args
    store = ShardStore(Path(directory))
    for i in range(100):
        store.put(f"{worker}-{i}", ChatResponse(f"answer {worker} {i}", "stop", Usage(1, 2, 3)))
    return worker


@pytest.mark.slow  # starts processes that import the package
def test_concurrent_writer_processes_lose_nothing(tmp_path: Path) -> None:
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        assert sorted(pool.map(_write_many, [(str(tmp_path), w) for w in range(4)])) == [0, 1, 2, 3]
    assert len(list(tmp_path.iterdir())) == 4
    store = ShardStore(tmp_path, writable=False)
    assert len(store) == 400 and store.get("3-99") == ChatResponse("answer 3 99", "stop", Usage(1, 2, 3))


def test_node_writes_shards_and_the_submit_host_reads_them(tmp_path: Path) -> None:
    cache = tmp_path / "llm_calls.sqlite"
    with ScriptedServer(lambda body: Reply("from the endpoint")) as server:
        endpoint = Endpoint("scripted", server.base_url)
        node = connect(endpoint, ConnectOptions(cache_file=cache, cache_layout="shards"))
        assert node.complete(HELLO, GenerationConfig()).text == "from the endpoint"
        assert not cache.exists() and len(list((tmp_path / SHARD_DIR).iterdir())) == 1
        local = connect(endpoint, ConnectOptions(cache_file=cache, cache_layout="sqlite"))
        assert local.complete(HELLO, GenerationConfig()).text == "from the endpoint"
    assert len(server.requests) == 1  # the second call came from the node's shard


def test_auto_layout_is_decided_by_the_process_that_connects(tmp_path: Path) -> None:
    env = {"LLMP_CACHE_DIR": str(tmp_path)}
    assert connect_options(env).cache_layout == "sqlite"
    assert connect_options({**env, "SLURM_JOB_ID": "12"}).cache_layout == "shards"
    deferred = connect_options({**env, "SLURM_JOB_ID": "12"}, this_process=False)
    assert deferred.cache_layout == "auto"  # a config builder's: decided in the task
    assert for_this_process(deferred, {"SLURM_JOB_ID": "13"}).cache_layout == "shards"
    assert for_this_process(deferred, {}).cache_layout == "sqlite"
    assert connect_options({**env, "LLMP_CACHE_LAYOUT": "SHARDS"}).cache_layout == "shards"
    with pytest.raises(ValueError, match="for_this_process"):
        connect(Endpoint("m", "http://127.0.0.1:9/v1"), deferred)


def test_a_bad_layout_names_the_variable_and_the_choices() -> None:
    with pytest.raises(ConfigError, match=r"LLMP_CACHE_LAYOUT='nfs'.*auto, sqlite.*shards"):
        connect_options({"LLMP_CACHE_LAYOUT": "nfs"})


def test_merge_folds_shards_into_sqlite_and_one_shard_for_the_nodes(tmp_path: Path) -> None:
    cache_file, shards = tmp_path / "llm_calls.sqlite", tmp_path / SHARD_DIR
    local = CallCache(cache_file)
    local.put("local", ANSWER)
    local.close()
    for key in ("a", "b"):
        ShardStore(shards).put(key, ANSWER)
    report = merge_shards(cache_file, min_age=0)
    assert (report.shards_read, report.shards_left, report.added, report.total) == (2, 0, 2, 3)
    assert [p.name for p in shards.iterdir()] == [report.merged_shard.name]
    assert {key for key, _ in read_shards(shards)} == {"local", "a", "b"}  # what the nodes see
    assert {key for key, _ in CallCache(cache_file).items()} == {"local", "a", "b"}


def test_merge_leaves_shards_that_may_still_be_written(tmp_path: Path) -> None:
    cache_file = tmp_path / "llm_calls.sqlite"
    ShardStore(tmp_path / SHARD_DIR).put("fresh", ANSWER)
    report = merge_shards(cache_file, min_age=3600)
    assert (report.shards_read, report.shards_left, report.added, report.merged_shard) == (0, 1, 0, None)
    assert [key for key, _ in read_shards(tmp_path / SHARD_DIR)] == ["fresh"]
