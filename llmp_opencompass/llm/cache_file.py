"""Opening the call cache's SQLite file: a corrupt file is moved aside, an unopenable one is
one clear error.

Several processes (OpenCompass's tasks, ``chat``) may find the same corrupt file at once.
The one that moves it aside holds an exclusive lock on the cache's folder while it checks
again that the file is still corrupt, so a fresh cache made by another process is never
moved aside in its turn.
"""

from __future__ import annotations

import fcntl
import logging
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import CacheError

__all__ = ["check_cache_file", "open_cache_db"]

_log = logging.getLogger(__name__)
_BUSY_TIMEOUT = 60
_SIDE_FILES = ("-wal", "-shm")


def open_cache_db(path: Path, schema: str) -> sqlite3.Connection:
    """A WAL-mode connection to ``path`` with ``schema`` applied.

    Raises:
        CacheError: the file or its folder cannot be opened or written.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return _connect(path, schema)
    except sqlite3.OperationalError as exc:  # cannot open or write: permissions, a directory, ...
        raise CacheError(_cannot_open(path, exc)) from None
    except sqlite3.DatabaseError as exc:  # the file is not a database, or a damaged one
        _move_aside_if_corrupt(path, exc)
    except OSError as exc:
        raise CacheError(_cannot_open(path, exc)) from None
    try:
        return _connect(path, schema)
    except (sqlite3.DatabaseError, OSError) as exc:
        raise CacheError(_cannot_open(path, exc)) from None


def check_cache_file(path: Path, schema: str) -> None:
    """Check ``path`` before a run without creating it: an existing file is opened (a corrupt
    one moved aside); for a new one, its folder must be one this process can write.

    Processes inside a Slurm job write shards, not this file, so the process that parses a
    config must not create it (it may never be used).

    Raises:
        CacheError: the file or its folder cannot be opened or written.
    """
    if path.exists() or path.is_symlink():
        open_cache_db(path, schema).close()
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CacheError(_cannot_open(path, exc)) from None
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise CacheError(_cannot_open(path, PermissionError(f"{path.parent} is not writable")))


def _connect(path: Path, schema: str) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=_BUSY_TIMEOUT, check_same_thread=False, isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute(schema)
        db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
    except BaseException:
        db.close()
        raise
    return db


def _cannot_open(path: Path, exc: BaseException) -> str:
    return (
        f"cannot open the LLM call cache {path} ({type(exc).__name__}: {exc}): make its folder writable, point "
        "LLMP_CACHE_DIR at a writable folder, or run without the cache: LLMP_CACHE=off (--no-cache for chat, "
        "memory build and character)"
    )


def _is_corrupt(path: Path) -> bool:
    if not path.exists():
        return False
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=_BUSY_TIMEOUT)
        try:
            db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        finally:
            db.close()
    except sqlite3.OperationalError:
        return False
    except sqlite3.DatabaseError:
        return True
    return False


def _move_aside_if_corrupt(path: Path, exc: sqlite3.DatabaseError) -> None:
    with _folder_lock(path.parent):
        if not _is_corrupt(path):
            return  # another process has already replaced it
        aside = path.with_name(f"{path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}")
        os.replace(path, aside)
        for suffix in _SIDE_FILES:
            side = path.with_name(path.name + suffix)
            if side.exists():
                os.replace(side, aside.with_name(aside.name + suffix))
    _log.warning(
        "the LLM call cache %s is not a usable SQLite database (%s); moved it aside to %s and started an "
        "empty cache: answers it held will be asked for again",
        path, exc, aside,
    )  # fmt: skip


@contextmanager
def _folder_lock(folder: Path) -> Iterator[None]:
    handle = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # closing releases the lock
