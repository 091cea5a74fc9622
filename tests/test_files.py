"""Atomic writes: whole files only, and the permissions of the user's umask (not mkstemp's 0600)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from llmp_opencompass.files import open_temp_beside, write_text_atomic
from llmp_opencompass.simulacra.macm import write_memory_files
from tests.simulacra.macm.test_memory_files import MEMORY


@pytest.fixture(params=[0o022, 0o027, 0o002])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    previous = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(previous)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_atomic_writes_follow_the_umask_like_open(tmp_path: Path, umask: int) -> None:
    plain = tmp_path / "plain.txt"
    plain.write_text("x")
    atomic = tmp_path / "sub" / "atomic.json"
    write_text_atomic(atomic, "{}\n")
    write_text_atomic(atomic, '{"a": 1}\n')  # replacing keeps the umask's mode too
    assert _mode(atomic) == _mode(plain) == 0o666 & ~umask
    assert atomic.read_text() == '{"a": 1}\n'
    assert [p.name for p in atomic.parent.iterdir()] == ["atomic.json"]  # no temporary file left


def test_memory_files_follow_the_umask(tmp_path: Path, umask: int) -> None:
    write_memory_files(tmp_path, MEMORY)
    assert {_mode(tmp_path / n) for n in ("index.json", "long_memory.json")} == {0o666 & ~umask}


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "f.txt"
    target.write_text("old")
    with pytest.raises(UnicodeEncodeError):
        write_text_atomic(target, "\udc80")
    assert target.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["f.txt"]
    out, temp = open_temp_beside(target, ".part")
    out.close()
    assert temp.parent == tmp_path and temp.name.startswith(".f.txt.") and temp.name.endswith(".part")
