"""The call cache as a directory of append-only files, one per writing process: safe on a
filesystem shared by many hosts (NFS, Lustre, GPFS, BeeGFS).

SQLite must not be shared between hosts: its locks are unreliable over network
filesystems and its WAL index is shared memory, which exists within one host only
(https://www.sqlite.org/wal.html: "All processes using a database must be on the same
host computer"). A shard needs no lock at all: each file has exactly one writer, the
process that created it (``<host>-<pid>-<random>.jsonl``), which only appends whole
lines, and readers take complete lines only. A reader on another host may see a
file without its newest lines (NFS caches attributes); it then misses the cache and
asks the endpoint, which is only a cost. A line cut short by a killed writer is never
completed (nobody else writes that file) and is skipped.

Each line is ``{"key": <cache key>, "response": {...}}``, the key being that of
:func:`~llmp_opencompass.llm.cache.cache_key`. Readers index every shard of the
directory (key to file and offset) and look again, at most once per ``rescan``
seconds, when a key is missing, so answers written by other tasks meanwhile are found.
A cache failure (a full disk, a file removed under the writer) is logged once and
turns the writes off; it never fails a call.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from .cache import response_from_json, response_to_json
from .types import ChatResponse

__all__ = ["SHARD_DIR", "SHARD_SUFFIX", "ShardStore", "read_shard", "read_shards", "shard_line", "shared_shard_store"]

SHARD_DIR = "llm_calls.d"
SHARD_SUFFIX = ".jsonl"
_LOG = logging.getLogger(__name__)
_STORES: dict[tuple[int, Path, bool], ShardStore] = {}
_GUARD = threading.Lock()


def shared_shard_store(directory: Path, *, writable: bool) -> ShardStore:
    """The process-wide store of ``directory``: every connection of a process shares one
    index and (when ``writable``) writes one shard."""
    key = (os.getpid(), Path(directory).resolve(), writable)
    with _GUARD:
        if key not in _STORES:
            _STORES[key] = ShardStore(Path(directory), writable=writable)
        return _STORES[key]


def shard_line(key: str, response: ChatResponse) -> bytes:
    """One entry as a shard's line."""
    return (json.dumps({"key": key, "response": response_to_json(response)}, ensure_ascii=False) + "\n").encode()


def read_shard(path: Path) -> Iterator[tuple[str, ChatResponse]]:
    """Every complete, well-formed entry of one shard (none when it cannot be read)."""
    try:
        data = Path(path).read_bytes()
    except OSError:
        return
    for line in data[: data.rfind(b"\n") + 1].splitlines():
        entry = _parse(line)
        if entry is not None:
            yield entry


def read_shards(directory: Path) -> Iterator[tuple[str, ChatResponse]]:
    """Every complete, well-formed entry of every shard in ``directory``."""
    for path in sorted(Path(directory).glob(f"*{SHARD_SUFFIX}")):
        yield from read_shard(path)


def _parse(line: bytes) -> tuple[str, ChatResponse] | None:
    try:
        record = json.loads(line)
        return str(record["key"]), response_from_json(record["response"])
    except (ValueError, KeyError, TypeError):
        return None


class ShardStore:
    """Reads every shard of ``directory``; with ``writable``, appends to a shard of its own."""

    def __init__(self, directory: Path, *, writable: bool = True, rescan: float = 1.0) -> None:
        self.directory = Path(directory)
        self.writable = writable
        self.rescan = rescan
        self._lock = threading.Lock()
        self._index: dict[str, tuple[Path, int, int]] = {}
        self._consumed: dict[Path, int] = {}
        self._mine: dict[str, ChatResponse] = {}
        self._scanned_at = -float("inf")
        self._fd: int | None = None
        self._owner_pid = 0
        self.path: Path | None = None
        """This process's shard, once it has written one."""

    def get(self, key: str) -> ChatResponse | None:
        """The stored response, or None (looking at the directory again when it is time)."""
        with self._lock:
            if key in self._mine:
                return self._mine[key]
            if key not in self._index and time.monotonic() - self._scanned_at >= self.rescan:
                self._scan()
            where = self._index.get(key)
        return self._read(key, where) if where else None

    def put(self, key: str, response: ChatResponse) -> None:
        """Append the response to this process's shard (a write failure only turns writing off)."""
        if not self.writable:
            return
        line = shard_line(key, response)
        with self._lock:
            try:
                fd = self._writer()
                view = memoryview(line)
                while view:
                    view = view[os.write(fd, view) :]
            except OSError as exc:
                _LOG.warning("call cache: cannot write %s (%s); answers are no longer cached", self.path, exc)
                self.writable = False
                return
            self._mine[key] = response

    def __len__(self) -> int:
        with self._lock:
            self._scan()
            return len(self._index.keys() | self._mine.keys())

    def close(self) -> None:
        """Close this process's shard."""
        with self._lock:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None

    def _writer(self) -> int:
        if self._fd is None or self._owner_pid != os.getpid():  # a forked child writes a file of its own
            self.directory.mkdir(parents=True, exist_ok=True)
            name = f"{socket.gethostname()}-{os.getpid()}-{secrets.token_hex(4)}{SHARD_SUFFIX}"
            self.path = self.directory / name
            self._fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_EXCL, 0o644)
            self._owner_pid = os.getpid()
        return self._fd

    def _scan(self) -> None:
        self._scanned_at = time.monotonic()
        try:
            paths = sorted(self.directory.glob(f"*{SHARD_SUFFIX}"))
        except OSError:
            return
        for path in paths:
            if path != self.path:
                self._scan_file(path)

    def _scan_file(self, path: Path) -> None:
        start = self._consumed.get(path, 0)
        try:
            with path.open("rb") as handle:
                handle.seek(start)
                data = handle.read()
        except OSError:
            return
        end = data.rfind(b"\n") + 1  # complete lines only; the rest is read once it is complete
        offset = start
        for line in data[:end].splitlines(keepends=True):
            entry = _parse(line)
            if entry is not None:
                self._index[entry[0]] = (path, offset, len(line))
            offset += len(line)
        self._consumed[path] = start + end

    def _read(self, key: str, where: tuple[Path, int, int]) -> ChatResponse | None:
        path, offset, length = where
        try:
            with path.open("rb") as handle:
                handle.seek(offset)
                entry = _parse(handle.read(length))
        except OSError:  # removed by `llmp-opencompass cache merge` meanwhile: a miss
            entry = None
        return entry[1] if entry is not None and entry[0] == key else None
