"""The text of a life story: paragraphs, one a line in ``story.txt`` and its checkpoints.

The story starts as the biography's paragraphs (blank-line separated in the card); the
helpers here turn one form into the other and measure it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

__all__ = ["biography_paragraphs", "story_paragraphs", "story_text", "text_sha256", "word_count"]


def biography_paragraphs(biography: str) -> tuple[str, ...]:
    """The biography's paragraphs (blank-line separated; inner line breaks become spaces)."""
    blocks = (" ".join(block.split()) for block in re.split(r"\n\s*\n", biography.strip()))
    return tuple(b for b in blocks if b)


def story_paragraphs(text: str) -> tuple[str, ...]:
    """The paragraphs of a ``story.txt`` text (its non-empty lines, stripped)."""
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def story_text(paragraphs: Sequence[str]) -> str:
    """The ``story.txt`` text of ``paragraphs``: one a line."""
    return "\n".join(paragraphs) + "\n"


def word_count(paragraphs: Sequence[str]) -> int:
    """The length of ``paragraphs`` in words."""
    return sum(len(p.split()) for p in paragraphs)


def text_sha256(text: str) -> str:
    """The SHA-256 of ``text`` as UTF-8, in hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
