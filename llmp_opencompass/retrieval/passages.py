"""The passages of a life story closest to a question, with the answers cached on disk.

:class:`StoryPassages` is the retrieval of the RAG simulacrum and of the drop-in RAG
dataset: it cuts the story into chunks, searches them (:class:`~.search.PassageSearch`)
and returns the ``k`` closest chunks in story order. It also caches each query's result
as a small JSON file named by the SHA-256 of the index key, ``k`` and the query, so a
process that finds every result cached (the eval task after the infer task, a rerun)
never loads the embedding model.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

from ..files import write_text_atomic
from .chunking import ChunkingConfig, split_text
from .embedders import Embedder
from .index import index_key
from .search import DEFAULT_RETRIEVER, PassageSearch, Retriever

__all__ = ["StoryPassages"]

_log = logging.getLogger(__name__)


class StoryPassages:
    """Top-``k`` passages of one story per query, in story order."""

    def __init__(
        self,
        story_text: str,
        embedder: Embedder,
        *,
        k: int = 3,
        chunking: ChunkingConfig | None = None,
        cache_dir: Path | None = None,
        retriever: Retriever = DEFAULT_RETRIEVER,
    ) -> None:
        """``cache_dir`` holds the index (as the RAG method's) and ``passages/`` the query results."""
        if k < 1:
            raise ValueError(f"k must be at least 1, got {k}")
        self.embedder = embedder
        self.k = k
        self.chunking = chunking or ChunkingConfig()
        self.cache_dir = cache_dir
        self.chunks = split_text(story_text, self.chunking)
        self._search = PassageSearch(
            self.chunks, embedder, cache_dir=cache_dir, params=self.chunking.id, retriever=retriever
        )
        self._key = index_key(self.chunks, self._search.id, self.chunking.id)

    def passages(self, query: str) -> tuple[str, ...]:
        """The ``k`` chunks closest to ``query``, in story order (from the cache when there)."""
        path = self._result_path(query)
        cached = _read(path) if path is not None else None
        if cached is not None:
            return cached
        hits = sorted(self._search.search(query, self.k), key=lambda hit: hit.position)
        result = tuple(hit.text for hit in hits)
        if path is not None:
            _write(path, result)
        return result

    def _result_path(self, query: str) -> Path | None:
        if self.cache_dir is None:
            return None
        digest = hashlib.sha256(f"{self._key}\x1f{self.k}\x1f{query}".encode()).hexdigest()
        return Path(self.cache_dir) / "passages" / f"{digest}.json"


def _read(path: Path) -> tuple[str, ...] | None:
    if not path.is_file():
        return None
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        _log.warning("ignoring unreadable passage cache %s (%s); searching again", path, exc)
        return None
    if not isinstance(value, list) or not all(isinstance(p, str) for p in value):
        _log.warning("ignoring malformed passage cache %s; searching again", path)
        return None
    return tuple(value)


def _write(path: Path, passages: tuple[str, ...]) -> None:
    write_text_atomic(path, json.dumps(list(passages), ensure_ascii=False))
