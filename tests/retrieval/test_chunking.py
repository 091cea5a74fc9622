"""Chunking: size bound, overlap, natural boundaries, nothing lost."""

from __future__ import annotations

import itertools

import pytest

from llmp_opencompass.retrieval import ChunkingConfig, split_text

STORY = "\n".join(
    f"Paragraph {p}. " + " ".join(f"Sentence {p}.{s} tells of the river and the old mill." for s in range(6))
    for p in range(12)
)


def test_chunks_respect_size_and_cover_every_word() -> None:
    chunks = split_text(STORY, ChunkingConfig(200, 32))
    assert all(len(c) <= 200 for c in chunks)
    joined = " ".join(chunks)
    assert all(word in joined for word in STORY.split())
    assert len(chunks) > len(STORY) // 200


def test_chunks_end_at_sentence_or_paragraph_boundaries() -> None:
    chunks = split_text(STORY, ChunkingConfig(200, 0))
    assert all(c.endswith(".") for c in chunks)


def _shared(previous: str, current: str) -> int:
    """Length of the longest end of ``previous`` that starts ``current``."""
    return max((n for n in range(1, min(len(previous), len(current)) + 1) if previous.endswith(current[:n])), default=0)


def test_consecutive_chunks_overlap_by_whole_words_within_the_overlap() -> None:
    chunks = split_text(STORY, ChunkingConfig(200, 40))
    shared = [_shared(previous, current) for previous, current in itertools.pairwise(chunks)]
    assert all(n <= 40 for n in shared)
    assert sum(n > 0 for n in shared) > len(shared) // 2
    assert all(c[0].isupper() or c[0].isdigit() or c.split()[0].isalpha() for c in chunks)


def test_short_text_is_one_chunk_and_empty_text_none() -> None:
    assert split_text("Just a line.") == ("Just a line.",)
    assert split_text("   \n\n  ") == ()


def test_text_without_separators_is_cut_hard() -> None:
    chunks = split_text("x" * 1100, ChunkingConfig(512, 0))
    assert [len(c) for c in chunks] == [512, 512, 76]


def test_default_is_the_papers_512_and_32() -> None:
    assert ChunkingConfig() == ChunkingConfig(512, 32)
    assert ChunkingConfig().id == "recursive-512-32"


@pytest.mark.parametrize(("size", "overlap"), [(0, 0), (100, 100), (100, -1)])
def test_invalid_chunking_is_refused(size: int, overlap: int) -> None:
    with pytest.raises(ValueError, match="chunking"):
        ChunkingConfig(size, overlap)
