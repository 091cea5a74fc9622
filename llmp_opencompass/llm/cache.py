"""A persistent, content-addressed cache of chat calls, as a wrapper around any ``ChatModel``.

One SQLite file is shared by every process of a run on one host (OpenCompass's task
subprocesses, ``chat``, ``memory build``): WAL mode and a busy timeout make
concurrent writers safe. SQLite must not be shared between hosts; processes on a
cluster's nodes use :mod:`.shards` instead, which this file's processes read too
(:class:`LayeredStore`).

The key is a SHA-256 over the endpoint (base URL and model
name), the messages and every generation parameter, so a rerun of the same config
makes no call for an answer already obtained. Only successful responses are stored,
never an error, and never a key.

A cached answer is reused as long as the endpoint URL and model name are the same: if
the server behind them changes model, turn the cache off (``LLMP_CACHE=off``) or point
``LLMP_CACHE_DIR`` elsewhere.

A cache is an optimisation, so a broken one never stops a run: a file that is not a
SQLite database is moved aside (``llm_calls.sqlite.corrupt-<time>-<pid>``) with a warning
naming it, and an empty cache takes its place; a database that fails later, mid-run, is
bypassed for the rest of the process, with one warning. A cache that cannot be opened
at all (an unwritable folder, a path that is a directory) raises one :class:`CacheError`
naming the file and ``LLMP_CACHE=off``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Protocol

from ..errors import CacheError
from .cache_file import check_cache_file, open_cache_db
from .types import ChatMessage, ChatModel, ChatResponse, GenerationConfig, Usage

__all__ = [
    "CACHE_FILE",
    "CacheStore",
    "CachingChatModel",
    "CallCache",
    "LayeredStore",
    "cache_key",
    "check_call_cache",
    "response_from_json",
    "response_to_json",
]

_log = logging.getLogger(__name__)

CACHE_FILE = "llm_calls.sqlite"
_SCHEMA = "CREATE TABLE IF NOT EXISTS calls (key TEXT PRIMARY KEY, response TEXT NOT NULL)"


def check_call_cache(path: Path) -> None:
    """Check the call cache at ``path`` without creating it (see :func:`.cache_file.check_cache_file`)."""
    check_cache_file(path, _SCHEMA)


def cache_key(endpoint_id: str, messages: Sequence[ChatMessage], config: GenerationConfig) -> str:
    """SHA-256 hex digest of everything that changes the answer (``endpoint_id``: URL and model)."""
    payload = {
        "endpoint": endpoint_id,
        "messages": [m.to_openai() for m in messages],
        "config": asdict(config),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def response_to_json(response: ChatResponse) -> dict:
    """A response as the JSON object the caches store."""
    return {"text": response.text, "finish_reason": response.finish_reason, "usage": asdict(response.usage)}


def response_from_json(data: dict) -> ChatResponse:
    """The response of a stored JSON object."""
    return ChatResponse(data["text"], data.get("finish_reason"), Usage(**data["usage"]))


class CacheStore(Protocol):
    """Where cached responses are kept."""

    def get(self, key: str) -> ChatResponse | None: ...

    def put(self, key: str, response: ChatResponse) -> None: ...


class CallCache:
    """Key-value store of chat responses in one SQLite file (thread- and process-safe).

    Raises:
        CacheError: the file cannot be opened (the message says how to fix it or turn it off).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = open_cache_db(path, _SCHEMA)

    def get(self, key: str) -> ChatResponse | None:
        """The stored response, or None (also when the database has failed)."""
        row = self._run("SELECT response FROM calls WHERE key = ?", (key,))
        return None if row is None else response_from_json(json.loads(row[0]))

    def put(self, key: str, response: ChatResponse) -> None:
        """Store a response (a concurrent writer of the same key wins harmlessly)."""
        value = json.dumps(response_to_json(response))
        self._run("INSERT OR REPLACE INTO calls (key, response) VALUES (?, ?)", (key, value))

    def add_missing(self, entries: Iterable[tuple[str, ChatResponse]]) -> int:
        """Store the entries whose key is absent (one transaction); how many were added."""
        rows = [(key, json.dumps(response_to_json(response))) for key, response in entries]
        with self._lock:
            if self._db is None:
                raise CacheError(f"the LLM call cache {self.path} failed in this process; run the command again")
            before = self._db.total_changes
            self._db.execute("BEGIN")
            self._db.executemany("INSERT OR IGNORE INTO calls (key, response) VALUES (?, ?)", rows)
            self._db.execute("COMMIT")
            return self._db.total_changes - before

    def items(self) -> Iterator[tuple[str, ChatResponse]]:
        """Every stored entry."""
        with self._lock:
            if self._db is None:
                return iter(())
            rows = self._db.execute("SELECT key, response FROM calls ORDER BY key").fetchall()
        return ((key, response_from_json(json.loads(value))) for key, value in rows)

    def __len__(self) -> int:
        row = self._run("SELECT COUNT(*) FROM calls", ())
        return int(row[0]) if row else 0

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    def _run(self, sql: str, params: tuple) -> tuple | None:
        with self._lock:
            if self._db is None:
                return None
            try:
                return self._db.execute(sql, params).fetchone()
            except sqlite3.DatabaseError as exc:  # failed mid-run: never fail the call for the cache
                self._bypass(exc)
            return None

    def _bypass(self, exc: sqlite3.DatabaseError) -> None:
        _log.warning(
            "the LLM call cache %s failed (%s: %s); going on without it in this process. If it happens "
            "again, delete the file or set LLMP_CACHE=off", self.path, type(exc).__name__, exc,
        )  # fmt: skip
        self._db.close()  # type: ignore[union-attr]
        self._db = None


class LayeredStore:
    """Reads ``first``, then ``then``; writes to ``first`` only."""

    def __init__(self, first: CacheStore, then: CacheStore) -> None:
        self.first = first
        self.then = then

    def get(self, key: str) -> ChatResponse | None:
        found = self.first.get(key)
        return found if found is not None else self.then.get(key)

    def put(self, key: str, response: ChatResponse) -> None:
        self.first.put(key, response)


class CachingChatModel:
    """Answers from the cache when it can, else asks ``inner`` and stores the answer."""

    def __init__(self, inner: ChatModel, cache: CacheStore, endpoint_id: str) -> None:
        self.inner = inner
        self.cache = cache
        self.endpoint_id = endpoint_id

    def complete(self, messages: Sequence[ChatMessage], config: GenerationConfig) -> ChatResponse:
        """The cached response for this exact call, or a fresh one (then cached)."""
        key = cache_key(self.endpoint_id, messages, config)
        cached = self.cache.get(key)
        if cached is not None:
            return cached
        response = self.inner.complete(messages, config)
        self.cache.put(key, response)
        return response
