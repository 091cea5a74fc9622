"""Top-k search over a fixed list of passages: the one retrieval path of the package.

The RAG simulacrum and the drop-in RAG dataset search a life story's chunks
(:class:`~llmp_opencompass.retrieval.passages.StoryPassages`); MACM's ``embedding``
memory retrieval searches the memory summaries. Both go through :class:`PassageSearch`,
with one of four retrievers (``LLMP_RETRIEVER``):

- ``tfidf`` (the default): cosine similarity of TF-IDF vectors (:mod:`.lexical`); no model;
- ``bm25``: Okapi BM25 over the words (:mod:`.lexical`); no model;
- ``dense``: cosine similarity of sentence embeddings (MiniLM by default); the vectors are
  embedded once and kept in the on-disk index cache;
- ``hybrid``: reciprocal rank fusion of the dense and BM25 rankings (each passage scores
  ``sum 1 / (60 + rank)``, the constant of Cormack et al. 2009).

``bench/retrieval.py`` measures them; the default is the one it shows best (README,
"Retrieval").
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import numpy as np

from .embedders import Embedder
from .index import Hit, VectorIndex, load_or_build
from .lexical import BM25_ID, TFIDF_ID, BM25Index, TfidfIndex, top_hits

__all__ = ["DEFAULT_RETRIEVER", "PassageSearch", "RETRIEVERS", "Retriever", "RRF_K", "retriever_id"]

Retriever = Literal["tfidf", "bm25", "dense", "hybrid"]
RETRIEVERS: tuple[str, ...] = ("tfidf", "bm25", "dense", "hybrid")
DEFAULT_RETRIEVER: Retriever = "tfidf"
"""The retriever of RAG and MACM's embedding mode unless configured (see bench/retrieval.py)."""
RRF_K = 60
"""Rank offset of reciprocal rank fusion."""


def retriever_id(retriever: str, embedder: Embedder) -> str:
    """What identifies a retriever's results in cache keys."""
    if retriever == "bm25":
        return BM25_ID
    if retriever == "tfidf":
        return TFIDF_ID
    if retriever == "hybrid":
        return f"rrf{RRF_K}({embedder.id}+{BM25_ID})"
    return embedder.id


class PassageSearch:
    """The ``k`` passages closest to a query, best first."""

    def __init__(
        self,
        passages: Sequence[str],
        embedder: Embedder,
        *,
        cache_dir: Path | None,
        params: str,
        retriever: Retriever = DEFAULT_RETRIEVER,
    ) -> None:
        """``params`` says how the passages were made (part of the dense index's cache key)."""
        if retriever not in RETRIEVERS:
            raise ValueError(f"unknown retriever {retriever!r}; valid: {', '.join(RETRIEVERS)}")
        self.passages = tuple(passages)
        self.embedder = embedder
        self.cache_dir = cache_dir
        self.params = params
        self.retriever = retriever
        self.id = retriever_id(retriever, embedder)
        self._index: VectorIndex | None = None
        self._bm25: BM25Index | None = None
        self._tfidf: TfidfIndex | None = None
        self._lock = threading.Lock()

    @property
    def index(self) -> VectorIndex:
        """The passages' vectors, loaded from the cache or embedded on first use."""
        with self._lock:
            if self._index is None:
                self._index = load_or_build(self.passages, self.embedder, self.cache_dir, self.params)
            return self._index

    @property
    def bm25(self) -> BM25Index:
        """The passages' BM25 index, built on first use."""
        with self._lock:
            if self._bm25 is None:
                self._bm25 = BM25Index(self.passages)
            return self._bm25

    @property
    def tfidf(self) -> TfidfIndex:
        """The passages' TF-IDF index, built on first use."""
        with self._lock:
            if self._tfidf is None:
                self._tfidf = TfidfIndex(self.passages)
            return self._tfidf

    def search(self, query: str, k: int) -> tuple[Hit, ...]:
        """The ``k`` best passages for ``query``, best first (ties in passage order)."""
        if self.retriever == "tfidf":
            return self.tfidf.search(query, k)
        if self.retriever == "dense":
            return self.index.search_text(self.embedder, query, k)
        if self.retriever == "bm25":
            return self.bm25.search(query, k)
        return self._fused(query, k)

    def _fused(self, query: str, k: int) -> tuple[Hit, ...]:
        count = len(self.passages)
        if k <= 0 or not count:
            return ()
        dense = self.index.search_text(self.embedder, query, count)
        lexical = self.bm25.search(query, count)
        scores = np.zeros(count, dtype=np.float64)
        for ranking in (dense, lexical):
            for rank, hit in enumerate(ranking, start=1):
                scores[hit.position] += 1.0 / (RRF_K + rank)
        return top_hits(self.passages, scores, k)
