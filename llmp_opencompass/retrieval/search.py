"""Top-k search over a fixed list of passages: the one retrieval path of the package.

The RAG simulacrum and the drop-in RAG dataset search a life story's chunks
(:class:`~llmp_opencompass.retrieval.passages.StoryPassages`); MACM's ``embedding``
memory retrieval searches the memory summaries. Both go through :class:`PassageSearch`,
which builds the passages' index once (also when several threads ask at once) and
keeps it in the on-disk index cache.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

from .embedders import Embedder
from .index import Hit, VectorIndex, load_or_build

__all__ = ["PassageSearch"]


class PassageSearch:
    """The ``k`` passages closest to a query, best first."""

    def __init__(self, passages: Sequence[str], embedder: Embedder, *, cache_dir: Path | None, params: str) -> None:
        """``params`` says how the passages were made (part of the index's cache key)."""
        self.passages = tuple(passages)
        self.embedder = embedder
        self.cache_dir = cache_dir
        self.params = params
        self._index: VectorIndex | None = None
        self._lock = threading.Lock()

    @property
    def index(self) -> VectorIndex:
        """The passages' vectors, loaded from the cache or embedded on first use."""
        with self._lock:
            if self._index is None:
                self._index = load_or_build(self.passages, self.embedder, self.cache_dir, self.params)
            return self._index

    def search(self, query: str, k: int) -> tuple[Hit, ...]:
        """The ``k`` best passages for ``query``, best first (ties in passage order)."""
        return self.index.search_text(self.embedder, query, k)
