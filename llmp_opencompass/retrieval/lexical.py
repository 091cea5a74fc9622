"""Lexical search over a fixed list of passages, with maintained libraries; no model, no download.

- :class:`TfidfIndex`: cosine similarity of TF-IDF vectors (scikit-learn's ``TfidfVectorizer``,
  sublinear term frequencies, English stop words): the best retriever of ``bench/retrieval.py``.
- :class:`BM25Index`: Okapi BM25 (the ``bm25s`` library, Lucene variant, English stop words).

Words are lower-cased. Building the index of a life story takes milliseconds, so it is
built in memory when first needed. A query with no word left after the stop words ("What
is your name?") scores every passage 0, and the ranking keeps the passages' order: the
start of the life story, where the character is introduced.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .index import Hit

__all__ = ["BM25Index", "BM25_ID", "TFIDF_ID", "TfidfIndex", "top_hits"]

BM25_ID = "bm25s-0.3-lucene-k1.5-b0.75-en-stopwords"
"""Identifies the ranking function in cache keys."""
_STOPWORDS = "en"
TFIDF_ID = "sklearn-tfidf-sublinear-l2-english-stopwords"
"""Identifies the TF-IDF ranking in cache keys."""


def top_hits(passages: Sequence[str], scores: np.ndarray, k: int) -> tuple[Hit, ...]:
    """The ``k`` best-scored passages, best first (ties in passage order)."""
    if k <= 0 or not len(scores):
        return ()
    order = np.lexsort((np.arange(len(scores)), -scores))[:k]
    return tuple(Hit(int(i), passages[int(i)], float(scores[int(i)])) for i in order)


class TfidfIndex:
    """TF-IDF cosine scores of every passage for a query."""

    def __init__(self, passages: Sequence[str]) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.passages = tuple(passages)
        self._vectorizer = TfidfVectorizer(sublinear_tf=True, stop_words="english")
        self._matrix = self._vectorizer.fit_transform(self.passages) if self._has_words() else None

    def _has_words(self) -> bool:
        return any(p.strip() for p in self.passages)

    def scores(self, query: str) -> np.ndarray:
        """One cosine similarity per passage, in [0, 1]."""
        if self._matrix is None:
            return np.zeros(len(self.passages), dtype=np.float32)
        return np.asarray((self._matrix @ self._vectorizer.transform([query]).T).toarray().ravel(), np.float32)

    def search(self, query: str, k: int) -> tuple[Hit, ...]:
        """The ``k`` best passages, best first (ties in passage order)."""
        return top_hits(self.passages, self.scores(query), k)


class BM25Index:
    """BM25 scores of every passage for a query."""

    def __init__(self, passages: Sequence[str]) -> None:
        import bm25s

        self.passages = tuple(passages)
        self._bm25 = bm25s.BM25(k1=1.5, b=0.75, method="lucene")
        if self.passages:
            tokens = bm25s.tokenize(list(self.passages), stopwords=_STOPWORDS, show_progress=False)
            self._bm25.index(tokens, show_progress=False)

    def scores(self, query: str) -> np.ndarray:
        """One score per passage (0 for a passage sharing no word with the query)."""
        import bm25s

        if not self.passages:
            return np.zeros(0, dtype=np.float32)
        words = bm25s.tokenize([query], stopwords=_STOPWORDS, return_ids=False, show_progress=False)[0]
        return np.asarray(self._bm25.get_scores(words), dtype=np.float32)

    def search(self, query: str, k: int) -> tuple[Hit, ...]:
        """The ``k`` best passages, best first (ties in passage order)."""
        return top_hits(self.passages, self.scores(query), k)
