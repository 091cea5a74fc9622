"""How a self-report item is put to a simulacrum: a friend asks it in a casual chat.

Choice options are shown one per line as ``A. <text>``. They are shuffled with a seed
derived from the character and the question (so every run shows the same order),
re-lettered, and the gold letters are remapped to the displayed order. The
original shuffled with the global random state and kept the upstream labels, so
the letter positions (and any letter bias) never moved.
"""

from __future__ import annotations

import hashlib
import random
import string
from dataclasses import dataclass

from ...data.records import Question, QuestionType
from ...prompts import render
from ...simulacra.base import Stimulus

__all__ = ["FramedQuestion", "frame_question", "display_options", "shuffle_seed", "LETTERS"]

LETTERS = string.ascii_uppercase


@dataclass(frozen=True)
class FramedQuestion:
    """A questionnaire item as shown to the simulacrum, with its gold answer in that frame."""

    question: Question
    """The upstream item."""
    options: tuple[str, ...]
    """Option texts in displayed order (empty for Cloze)."""
    gold: tuple[str, ...]
    """Displayed gold letters for choice items, accepted answers for Cloze."""
    system: str
    """The scene (system message); carries no character information."""
    user: str
    """The friend's question (user message), with the question text verbatim."""

    @property
    def stimulus(self) -> Stimulus:
        """What is asked, without the scene and the answer format: the question and its displayed options."""
        return Stimulus(self.question.text, self.options)


def shuffle_seed(question: Question, repeat: int = 0) -> int:
    """A seed that depends only on the character, the question text and (after the first) the repeat."""
    key = f"{question.character}\x1f{question.text}" + (f"\x1frepeat {repeat}" if repeat else "")
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big")


def display_options(
    question: Question, *, shuffle: bool = True, repeat: int = 0
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Options in displayed order and the gold letters remapped to it; each repeat has its own order."""
    order = list(range(len(question.options)))
    if shuffle:
        random.Random(shuffle_seed(question, repeat)).shuffle(order)
    options = tuple(question.options[i] for i in order)
    gold = tuple(sorted(LETTERS[order.index(i)] for i in question.gold_indices))
    return options, gold


def frame_question(question: Question, *, shuffle: bool = True, repeat: int = 0) -> FramedQuestion:
    """Frame one scored item; ``shuffle=False`` keeps the upstream option order, ``repeat`` r > 0
    shows the options in an order of its own (repeat 0 is the order of a single run)."""
    if not question.type.is_scored:
        raise ValueError(f"{question.type.value} items are not part of the scored self-report")
    if question.type is QuestionType.CLOZE:
        options, gold = (), question.answer
        user = render("selfreport_cloze", question=question.text)
    else:
        options, gold = display_options(question, shuffle=shuffle, repeat=repeat)
        lines = "\n".join(f"{LETTERS[i]}. {text}" for i, text in enumerate(options))
        user = render(f"selfreport_{question.type.slug}", question=question.text, options=lines)
    return FramedQuestion(question, options, gold, render("selfreport_scene"), user)
