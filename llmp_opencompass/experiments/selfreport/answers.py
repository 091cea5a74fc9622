"""Where the answer of a self-report item is written: its gold texts, and whether a text holds one.

Used to measure retrieval the way open-domain QA does (answer recall@k: do the retrieved
passages contain the answer?). An item's gold texts are its accepted answers (Cloze) or
the texts of its gold options (choice items). Texts are compared lower-cased, with
punctuation and runs of spaces reduced to one space, as whole words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ...data.records import Question, QuestionType

__all__ = ["gold_texts", "holds_answer", "normalize_text"]

_NON_WORD = re.compile(r"[^a-z0-9]+")


def normalize_text(text: str) -> str:
    """Lower case, every run of non-alphanumerics one space, padded with spaces (for whole-word matching)."""
    return f" {' '.join(_NON_WORD.sub(' ', text.lower()).split())} "


def gold_texts(question: Question) -> tuple[str, ...]:
    """The accepted answers of a Cloze item, or the texts of a choice item's gold options."""
    if question.type is QuestionType.CLOZE:
        return tuple(question.answer)
    return tuple(question.options[i] for i in question.gold_indices)


def holds_answer(text: str, golds: Iterable[str]) -> bool:
    """Whether ``text`` contains any of the gold texts (whole words, normalised)."""
    haystack = normalize_text(text)
    return any(normalize_text(gold) in haystack for gold in golds if gold.strip())
