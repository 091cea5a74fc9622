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
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

from .types import ChatMessage, ChatModel, ChatResponse, GenerationConfig, Usage

__all__ = ["CallCache", "CachingChatModel", "cache_key", "CACHE_FILE"]

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
        if row is None:
            return None
        data = json.loads(row[0])
        return ChatResponse(data["text"], data.get("finish_reason"), Usage(**data["usage"]))

    def put(self, key: str, response: ChatResponse) -> None:
        """Store a response (a concurrent writer of the same key wins harmlessly)."""
        value = json.dumps({"text": response.text, "finish_reason": response.finish_reason,
                            "usage": asdict(response.usage)})  # fmt: skip
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO calls (key, response) VALUES (?, ?)", (key, value))

    def __len__(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM calls").fetchone()[0])

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._db.close()


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
