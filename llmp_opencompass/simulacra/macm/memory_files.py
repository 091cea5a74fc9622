"""The long-term memory files of MACM, in the upstream format, read with validation and
written atomically.

``index.json`` maps each key ("001", "002", ...) to a memory's summary;
``long_memory.json`` maps the same keys to ``{"Memory_Summary": summary, "Memory":
{"Memory Content": ..., "Thinking": ..., "Emotion": ...}}``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path

from ...data.records import LongTermMemory, MemoryEntry
from ...errors import MalformedDataFileError, MissingDataFileError
from ...files import write_text_atomic

__all__ = ["INDEX_FILE", "LONG_MEMORY_FILE", "memory_key", "read_memory_files", "write_memory_files", "to_upstream"]

INDEX_FILE = "index.json"
LONG_MEMORY_FILE = "long_memory.json"
_KEY = re.compile(r"^\d{3,}$")


def memory_key(number: int) -> str:
    """The key of the ``number``-th memory (1-based): "001"."""
    return str(number).zfill(3)


def read_memory_files(directory: Path, character: str) -> LongTermMemory:
    """Load and check ``index.json`` and ``long_memory.json`` of one character.

    Raises:
        MissingDataFileError: a file is missing (the message says how to build it).
        MalformedDataFileError: a file is not valid JSON or not in the expected shape.
    """
    directory = Path(directory)
    index = _load(directory / INDEX_FILE, character)
    long_memory = _load(directory / LONG_MEMORY_FILE, character)
    return _parse(index, long_memory, character, directory)


def write_memory_files(directory: Path, memory: LongTermMemory) -> None:
    """Write both files (``long_memory.json`` last), each atomically."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    index, long_memory = to_upstream(memory)
    # json.dumps defaults (one line, ASCII-escaped): byte-for-byte the upstream layout
    write_text_atomic(directory / INDEX_FILE, json.dumps(index))
    write_text_atomic(directory / LONG_MEMORY_FILE, json.dumps(long_memory))


def to_upstream(memory: LongTermMemory) -> tuple[dict[str, str], dict[str, dict]]:
    """The two files' contents as JSON-ready objects."""
    index = {e.key: e.summary for e in memory.entries}
    long_memory = {
        e.key: {
            "Memory_Summary": e.summary,
            "Memory": {"Memory Content": e.content, "Thinking": e.thinking, "Emotion": e.emotion},
        }
        for e in memory.entries
    }
    return index, long_memory


def _load(path: Path, character: str) -> object:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise MissingDataFileError(
            f"{path} is missing: MACM needs the long-term memory of {character}; build it with "
            f'`llmp-opencompass memory build --character "{character}" --out {path.parent}`'
        ) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise MalformedDataFileError(f"{path}: invalid JSON at {where}: {exc.msg}") from exc


def _parse(index: object, long_memory: object, character: str, directory: Path) -> LongTermMemory:
    index_path, long_path = directory / INDEX_FILE, directory / LONG_MEMORY_FILE
    if not isinstance(index, Mapping) or not index:
        raise MalformedDataFileError(f"{index_path}: expected a non-empty object of summaries")
    if not isinstance(long_memory, Mapping):
        raise MalformedDataFileError(f"{long_path}: expected an object of memories")
    if set(index) != set(long_memory):
        odd = ", ".join(sorted(map(str, set(index) ^ set(long_memory))))
        raise MalformedDataFileError(f"{long_path}: keys differ from {INDEX_FILE} beside it: {odd}")
    bad = [str(k) for k in index if not _KEY.match(str(k))]
    if bad:
        raise MalformedDataFileError(f"{index_path}: keys must be zero-padded numbers like '001', got {bad[:3]}")
    entries = [_entry(str(key), index[key], long_memory[key], long_path) for key in sorted(index, key=int)]
    return LongTermMemory(character=character, entries=tuple(entries))


def _entry(key: str, summary: object, item: object, path: Path) -> MemoryEntry:
    try:
        memory = item["Memory"]  # type: ignore[index]
        fields = (item["Memory_Summary"], memory["Memory Content"], memory["Thinking"], memory["Emotion"])  # type: ignore[index]
    except (KeyError, TypeError) as exc:
        raise MalformedDataFileError(f"{path}, memory {key!r}: missing field {exc}") from exc
    if not all(isinstance(f, str) for f in (summary, *fields)):
        raise MalformedDataFileError(f"{path}, memory {key!r}: every field must be a string")
    if fields[0] != summary:
        raise MalformedDataFileError(f"{path}, memory {key!r}: Memory_Summary differs from {INDEX_FILE}")
    return MemoryEntry(key=key, summary=fields[0], content=fields[1], thinking=fields[2], emotion=fields[3])
