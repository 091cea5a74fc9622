"""StoryPassages: the RAG retrieval of one question, cached so a second process embeds nothing."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from llmp_opencompass.retrieval import ChunkingConfig, split_text
from llmp_opencompass.retrieval.passages import StoryPassages

STORY = "\n\n".join(["I grew up by the sea.", "My father was a baker.", "I studied music in Vienna.", "I love cats."])
WORDS = ("sea", "baker", "music", "cats")


class KeywordEmbedder:
    """One dimension per keyword; counts calls."""

    id = "keywords-v1"

    def __init__(self) -> None:
        self.calls = 0

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        rows = np.array([[float(w in t.lower()) for w in WORDS] + [0.01] for t in texts], dtype=np.float32)
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_top_k_in_story_order_and_cached(tmp_path: Path) -> None:
    chunking = ChunkingConfig(size=30, overlap=0)
    first = StoryPassages(STORY, KeywordEmbedder(), k=2, chunking=chunking, cache_dir=tmp_path, retriever="dense")
    passages = first.passages("Do you like cats or the music you studied?")
    assert passages == ("I studied music in Vienna.", "I love cats.")
    second_embedder = KeywordEmbedder()
    second = StoryPassages(STORY, second_embedder, k=2, chunking=chunking, cache_dir=tmp_path, retriever="dense")
    assert second.passages("Do you like cats or the music you studied?") == passages
    assert second_embedder.calls == 0  # neither the story nor the query was embedded again
    assert "My father was a baker." in second.passages("Was your father a baker?")
    assert second_embedder.calls == 1  # a new query is embedded; the story's index comes from its cache


def test_without_cache_dir_nothing_is_written(tmp_path: Path) -> None:
    passages = StoryPassages(STORY, KeywordEmbedder(), k=1, chunking=ChunkingConfig(size=30, overlap=0))
    assert passages.passages("the sea") == ("I grew up by the sea.",)
    assert not any(tmp_path.iterdir())


@pytest.mark.parametrize("retriever", ["tfidf", "bm25"])
def test_lexical_retrievers_need_no_embedding(tmp_path: Path, retriever: str) -> None:
    embedder = KeywordEmbedder()
    passages = StoryPassages(STORY, embedder, k=1, chunking=ChunkingConfig(size=30, overlap=0), cache_dir=tmp_path,
                             retriever=retriever)  # type: ignore[arg-type]  # fmt: skip
    assert passages.passages("Was your father a baker?") == ("My father was a baker.",)
    assert embedder.calls == 0 and list(tmp_path.glob("passages/*.json")), "results cached, no model used"
    assert StoryPassages(STORY, embedder, k=1, chunking=ChunkingConfig(size=30, overlap=0)).passages(
        "What is your name?"
    ) == (split_text(STORY, ChunkingConfig(size=30, overlap=0))[0],), "no content word: the start of the story"


def test_hybrid_fuses_dense_and_bm25_rankings() -> None:
    passages = StoryPassages(STORY, KeywordEmbedder(), k=2, chunking=ChunkingConfig(size=30, overlap=0),
                             retriever="hybrid")  # fmt: skip
    assert set(passages.passages("Do you like cats or the music you studied?")) == {
        "I studied music in Vienna.", "I love cats."
    }
