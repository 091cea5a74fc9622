"""A vector index over passages: top-k cosine search, cached on disk by content.

The cache file of an index is named by the SHA-256 of everything that changes it
(the passages, how they were cut, the embedder's id), so OpenCompass task
subprocesses and later runs load the vectors instead of embedding the text again,
and a changed story or embedder can never reuse stale vectors. Files are written
to a temporary name and renamed, so a reader never sees a half-written index.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..files import open_temp_beside
from .embedders import Embedder

__all__ = ["Hit", "VectorIndex", "index_key", "load_or_build"]

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Hit:
    """One search result."""

    position: int
    """Index of the passage in the index's passages."""
    text: str
    """The passage."""
    score: float
    """Cosine similarity to the query, in [-1, 1]."""


@dataclass(frozen=True, eq=False)
class VectorIndex:
    """Passages and their unit vectors (one row per passage)."""

    passages: tuple[str, ...]
    """The indexed texts, in order."""
    vectors: np.ndarray
    """float32 array of shape (len(passages), dimension), rows of unit length."""

    def __post_init__(self) -> None:
        if len(self.vectors) != len(self.passages):
            raise ValueError(f"{len(self.vectors)} vectors for {len(self.passages)} passages")

    def search(self, query: np.ndarray, k: int) -> tuple[Hit, ...]:
        """The ``k`` passages closest to the unit vector ``query``, best first (ties by position)."""
        if k <= 0 or not self.passages:
            return ()
        scores = self.vectors @ np.asarray(query, dtype=np.float32).reshape(-1)
        order = np.lexsort((np.arange(len(scores)), -scores))[:k]  # stable: equal scores keep text order
        return tuple(Hit(int(i), self.passages[int(i)], float(scores[int(i)])) for i in order)

    def search_text(self, embedder: Embedder, query: str, k: int) -> tuple[Hit, ...]:
        """Embed ``query`` with the index's embedder and search."""
        return self.search(embedder.embed([query])[0], k)


def index_key(passages: Sequence[str], embedder_id: str, params: str) -> str:
    """SHA-256 (hex) of the passages, how they were made (``params``) and the embedder."""
    payload = json.dumps({"embedder": embedder_id, "params": params, "passages": list(passages)}, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def load_or_build(
    passages: Sequence[str], embedder: Embedder, cache_dir: Path | None, params: str = ""
) -> VectorIndex:
    """The index of ``passages``: from ``cache_dir`` when cached, else embedded (and cached).

    ``cache_dir`` None keeps the index in memory only.
    """
    passages = tuple(passages)
    path = None if cache_dir is None else Path(cache_dir) / f"{index_key(passages, embedder.id, params)}.npz"
    if path is None:
        return _embed(passages, embedder)
    with _lock_for(path):  # threads wanting the same index (a task's datasets of one story) embed it once
        if path.is_file():
            cached = _read(path, passages)
            if cached is not None:
                return cached
        index = _embed(passages, embedder)
        _write(path, index)
        return index


def _embed(passages: tuple[str, ...], embedder: Embedder) -> VectorIndex:
    return VectorIndex(passages, embedder.embed(passages) if passages else np.zeros((0, 0), np.float32))


_LOCKS: dict[Path, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()


def _lock_for(path: Path) -> threading.Lock:
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(path, threading.Lock())


def _read(path: Path, passages: tuple[str, ...]) -> VectorIndex | None:
    try:
        with np.load(path, allow_pickle=False) as data:
            stored, vectors = tuple(str(p) for p in data["passages"]), np.array(data["vectors"], np.float32)
    except (OSError, ValueError, KeyError) as exc:
        _log.warning("ignoring unreadable index cache %s (%s); re-embedding", path, exc)
        return None
    if stored != passages:
        _log.warning("index cache %s does not hold the expected passages; re-embedding", path)
        return None
    return VectorIndex(passages, vectors)


def _write(path: Path, index: VectorIndex) -> None:
    out_file, tmp = open_temp_beside(path, ".npz")
    try:
        with out_file as out:
            np.savez(out, passages=np.array(index.passages, dtype=str), vectors=index.vectors)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
