"""A persistent, content-addressed cache of chat calls, as a wrapper around any ``ChatModel``.

One SQLite file is shared by every process of a run (OpenCompass's task
subprocesses, ``chat``, ``memory build``): WAL mode and a busy timeout make
concurrent writers safe. The key is a SHA-256 over the endpoint (base URL and model
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
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

from .cache_file import open_cache_db
from .types import ChatMessage, ChatModel, ChatResponse, GenerationConfig, Usage

__all__ = ["CallCache", "CachingChatModel", "cache_key", "CACHE_FILE"]

_log = logging.getLogger(__name__)

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
        if row is None:
            return None
        data = json.loads(row[0])
        return ChatResponse(data["text"], data.get("finish_reason"), Usage(**data["usage"]))

    def put(self, key: str, response: ChatResponse) -> None:
        """Store a response (a concurrent writer of the same key wins harmlessly)."""
        value = json.dumps({"text": response.text, "finish_reason": response.finish_reason,
                            "usage": asdict(response.usage)})  # fmt: skip
        self._run("INSERT OR REPLACE INTO calls (key, response) VALUES (?, ?)", (key, value))

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


class CachingChatModel:
    """Answers from the cache when it can, else asks ``inner`` and stores the answer."""

    def __init__(self, inner: ChatModel, cache: CallCache, endpoint_id: str) -> None:
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
