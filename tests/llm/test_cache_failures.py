"""A broken call cache never stops a run: a corrupt file is moved aside with a warning naming it,
a file that cannot be opened is one clear error naming it and ``LLMP_CACHE=off``; before, every
dataset failed with a bare ``DatabaseError: file is not a database``."""

from __future__ import annotations

import logging
import multiprocessing
import os
from pathlib import Path

import pytest

from llmp_opencompass.errors import CacheError
from llmp_opencompass.llm.cache import CallCache
from llmp_opencompass.llm.types import ChatResponse, Usage

ANSWER = ChatResponse("I am 29.", "stop", Usage(1, 10, 5))
NOISE = bytes(range(256)) * 64


def _corrupt(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(NOISE)


def test_random_bytes_are_moved_aside_and_the_run_goes_on(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "llm_calls.sqlite"
    _corrupt(path)
    cache = CallCache(path)
    cache.put("k", ANSWER)
    assert cache.get("k") == ANSWER
    (aside,) = tmp_path.glob("llm_calls.sqlite.corrupt-*")
    assert aside.read_bytes() == NOISE, "the corrupt file is kept for inspection, not deleted"
    assert str(path) in caplog.text and str(aside) in caplog.text and "moved it aside" in caplog.text


def _open_and_put(args: tuple[str, int]) -> int:
    cache = CallCache(Path(args[0]))
    cache.put(f"k{args[1]}", ANSWER)
    return len(cache)


@pytest.mark.slow  # starts processes that import the package
def test_processes_finding_the_same_corrupt_file_move_it_aside_once(tmp_path: Path) -> None:
    path = tmp_path / "llm_calls.sqlite"
    _corrupt(path)
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        pool.map(_open_and_put, [(str(path), w) for w in range(4)])
    assert len(list(tmp_path.glob("llm_calls.sqlite.corrupt-*"))) == 1
    assert len(CallCache(path)) == 4, "no process moved aside the fresh cache another one had made"


def test_a_cache_damaged_mid_run_is_bypassed_with_one_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "llm_calls.sqlite"
    cache = CallCache(path)
    cache.put("k", ANSWER)
    cache._db.execute("DROP TABLE calls")  # type: ignore[union-attr]  # what a damaged page looks like to a query
    assert cache.get("k") is None
    cache.put("k", ANSWER)
    assert caplog.text.count("going on without it") == 1 and str(path) in caplog.text


@pytest.mark.parametrize("how", ["path_is_a_directory", "folder_is_a_file"])
def test_an_unopenable_cache_is_one_clear_error(tmp_path: Path, how: str) -> None:
    if how == "path_is_a_directory":
        path = tmp_path / "llm_calls.sqlite"
        path.mkdir()
    else:
        (tmp_path / "cache").write_text("not a folder")
        path = tmp_path / "cache" / "llm_calls.sqlite"
    with pytest.raises(CacheError) as info:
        CallCache(path)
    message = str(info.value)
    assert str(path) in message and "LLMP_CACHE=off" in message and "LLMP_CACHE_DIR" in message
    assert info.value.__cause__ is None and info.value.__suppress_context__


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_is_one_clear_error(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(CacheError, match="LLMP_CACHE=off"):
            CallCache(folder / "llm_calls.sqlite")
    finally:
        folder.chmod(0o755)


def test_warnings_name_no_secret_and_are_logged_once_per_file(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    path = tmp_path / "llm_calls.sqlite"
    _corrupt(path)
    CallCache(path)
    CallCache(path)  # the fresh cache is fine: no second warning
    assert caplog.text.count("moved it aside") == 1
