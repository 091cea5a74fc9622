"""Long-term memory files: upstream round trip and validation with clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from llmp_opencompass.data.records import LongTermMemory, MemoryEntry
from llmp_opencompass.data.store import HumanSimulacra
from llmp_opencompass.errors import MalformedDataFileError, MissingDataFileError
from llmp_opencompass.simulacra.macm import read_memory_files, write_memory_files

MEMORY = LongTermMemory(
    "Mary Jones",
    (
        MemoryEntry("001", "Mary’s first climb.", "I climbed.", "I thought: higher!", "Joy."),
        MemoryEntry("002", "Mary plants trees.", "I planted.", "Roots matter.", "Calm."),
    ),
)


def test_write_then_read_round_trips_in_the_upstream_layout(tmp_path: Path) -> None:
    write_memory_files(tmp_path, MEMORY)
    assert read_memory_files(tmp_path, "Mary Jones") == MEMORY
    index = (tmp_path / "index.json").read_text()
    assert "\n" not in index and "\\u2019" in index  # one ASCII-escaped line, like upstream
    long_memory = json.loads((tmp_path / "long_memory.json").read_text())
    assert long_memory["002"] == {
        "Memory_Summary": "Mary plants trees.",
        "Memory": {"Memory Content": "I planted.", "Thinking": "Roots matter.", "Emotion": "Calm."},
    }


def test_upstream_files_read_like_the_store(shared_data_dir: Path) -> None:
    store = HumanSimulacra(shared_data_dir)
    directory = store.characters_dir / "Memories" / "Mary Jones"
    assert read_memory_files(directory, "Mary Jones") == store.memory("Mary Jones")


def test_missing_file_names_it_and_the_build_command(tmp_path: Path) -> None:
    with pytest.raises(MissingDataFileError, match=r"index\.json is missing.*llmp-opencompass memory build"):
        read_memory_files(tmp_path, "Mary Jones")


def _write(directory: Path, index: object, long_memory: object) -> None:
    (directory / "index.json").write_text(json.dumps(index))
    (directory / "long_memory.json").write_text(json.dumps(long_memory))


def _item(summary: str) -> dict:
    return {"Memory_Summary": summary, "Memory": {"Memory Content": "c", "Thinking": "t", "Emotion": "e"}}


@pytest.mark.parametrize(
    ("index", "long_memory", "message"),
    [
        ({"001": "a"}, {"001": _item("a"), "002": _item("b")}, "keys differ.*002"),
        ({"1a": "a"}, {"1a": _item("a")}, "zero-padded"),
        ({"001": "a"}, {"001": {"Memory_Summary": "a", "Memory": {"Thinking": "t"}}}, "missing field.*Memory Content"),
        ({"001": "a"}, {"001": _item("b")}, "differs from index.json"),
        ({"001": "a"}, {"001": {**_item("a"), "Memory_Summary": 3}}, "must be a string"),
        ([], {}, "non-empty object"),
    ],
)
def test_malformed_files_are_refused_naming_the_problem(
    tmp_path: Path, index: object, long_memory: object, message: str
) -> None:
    _write(tmp_path, index, long_memory)
    with pytest.raises(MalformedDataFileError, match=message):
        read_memory_files(tmp_path, "Mary Jones")


def test_invalid_json_names_the_position(tmp_path: Path) -> None:
    (tmp_path / "index.json").write_text('{"001": ')
    with pytest.raises(MalformedDataFileError, match=r"index\.json: invalid JSON at line 1"):
        read_memory_files(tmp_path, "Mary Jones")
