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
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Protocol

from .types import ChatMessage, ChatModel, ChatResponse, GenerationConfig, Usage

__all__ = [
    "CACHE_FILE",
    "CacheStore",
    "CachingChatModel",
    "CallCache",
    "LayeredStore",
    "cache_key",
    "response_from_json",
    "response_to_json",
]

CACHE_FILE = "llm_calls.sqlite"
_SCHEMA = "CREATE TABLE IF NOT EXISTS calls (key TEXT PRIMARY KEY, response TEXT NOT NULL)"


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
    """Key-value store of chat responses in one SQLite file (thread- and process-safe)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, timeout=60, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(_SCHEMA)

    def get(self, key: str) -> ChatResponse | None:
        """The stored response, or None."""
        with self._lock:
            row = self._db.execute("SELECT response FROM calls WHERE key = ?", (key,)).fetchone()
        return None if row is None else response_from_json(json.loads(row[0]))

    def put(self, key: str, response: ChatResponse) -> None:
        """Store a response (a concurrent writer of the same key wins harmlessly)."""
        value = json.dumps(response_to_json(response))
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO calls (key, response) VALUES (?, ?)", (key, value))

    def add_missing(self, entries: Iterable[tuple[str, ChatResponse]]) -> int:
        """Store the entries whose key is absent (one transaction); how many were added."""
        rows = [(key, json.dumps(response_to_json(response))) for key, response in entries]
        with self._lock:
            before = self._db.total_changes
            self._db.execute("BEGIN")
            self._db.executemany("INSERT OR IGNORE INTO calls (key, response) VALUES (?, ?)", rows)
            self._db.execute("COMMIT")
            return self._db.total_changes - before

    def items(self) -> Iterator[tuple[str, ChatResponse]]:
        """Every stored entry."""
        with self._lock:
            rows = self._db.execute("SELECT key, response FROM calls ORDER BY key").fetchall()
        return ((key, response_from_json(json.loads(value))) for key, value in rows)

    def __len__(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM calls").fetchone()[0])

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._db.close()


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
