"""Which paragraph of a life story to expand next: the paper's score (§3.1, script 5.4).

Scoring (pure numpy over unit embeddings; the paper's weights)::

    score_i = 80 * importance_i + 100 * elaboration_i + 120 * redundancy_i

- ``importance_i = cos(p_i, summary)``. The paper embedded a summary of the whole story made
  by a book summariser we do not ship; the biography is that summary here, since it is the
  summary the story grew from.
- ``elaboration_i = cos(p_i, first sentence of p_i)``: high when the paragraph says little
  beyond its lead sentence, i.e. is not elaborated yet (the paper compared with a
  per-paragraph summary).
- ``redundancy_i = mean over j != i of (1 - cos(p_i, p_j))``: high when the paragraph's
  content is distinct (1.0 for a story of one paragraph).

The top score is taken (ties: the lowest index), not a random one of the top five as in
the original; the expansion (``story.py``) stops early when it is below its threshold.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..retrieval.embedders import Embedder, normalize

__all__ = ["WEIGHTS", "ParagraphScore", "choose_paragraph", "first_sentence", "score_paragraphs"]

WEIGHTS = (80.0, 100.0, 120.0)
"""Weights of importance, elaboration and redundancy (the paper's)."""


@dataclass(frozen=True)
class ParagraphScore:
    """How much one paragraph deserves expanding."""

    index: int
    """0-based position in the story."""
    importance: float
    """Cosine with the summary of the whole life (the biography)."""
    elaboration: float
    """Cosine with the paragraph's first sentence (high: not elaborated yet)."""
    redundancy: float
    """Mean cosine distance to the other paragraphs (high: distinct content)."""
    score: float
    """80 * importance + 100 * elaboration + 120 * redundancy."""


_ABBREVIATION = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|St|Jr|Sr|vs|etc|e\.g|i\.e)|\b[A-Z])$")  # "Dr. Smith", "J. Smith"
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s+(?=[\"“'(\[]?[A-Z0-9])")


def first_sentence(paragraph: str) -> str:
    """The paragraph up to its first sentence end (the whole paragraph if it has one sentence)."""
    text = paragraph.strip()
    for match in _SENTENCE_END.finditer(text):
        head = text[: match.start()]
        if not _ABBREVIATION.search(head):
            return text[: match.end()].strip()
    return text


def score_paragraphs(paragraphs: Sequence[str], summary: str, embedder: Embedder) -> tuple[ParagraphScore, ...]:
    """The score of every paragraph, in story order (one ``embed`` call)."""
    n = len(paragraphs)
    if n == 0:
        raise ValueError("cannot score an empty story; it needs at least one paragraph")
    texts = [*paragraphs, *(first_sentence(p) for p in paragraphs), summary]
    vectors = normalize(np.asarray(embedder.embed(texts), dtype=np.float32)).astype(np.float64)
    if vectors.shape[0] != len(texts):
        raise ValueError(f"embedder {embedder.id} returned {vectors.shape[0]} vectors for {len(texts)} texts")
    story, leads, whole = vectors[:n], vectors[n : 2 * n], vectors[2 * n]
    importance = story @ whole
    elaboration = np.einsum("ij,ij->i", story, leads)
    similarity = story @ story.T
    distance = 1.0 - similarity
    np.fill_diagonal(distance, 0.0)
    redundancy = distance.sum(axis=1) / (n - 1) if n > 1 else np.ones(1)  # nothing to repeat in a 1-paragraph story
    w_imp, w_elab, w_red = WEIGHTS
    return tuple(
        ParagraphScore(
            index=i,
            importance=float(importance[i]),
            elaboration=float(elaboration[i]),
            redundancy=float(redundancy[i]),
            score=float(w_imp * importance[i] + w_elab * elaboration[i] + w_red * redundancy[i]),
        )
        for i in range(n)
    )


def choose_paragraph(scores: Sequence[ParagraphScore]) -> ParagraphScore:
    """The top score; on a tie, the lowest index."""
    if not scores:
        raise ValueError("no paragraph to choose from")
    return min(scores, key=lambda s: (-s.score, s.index))
