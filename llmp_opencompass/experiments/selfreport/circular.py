"""Circular evaluation of the choice items: every item asked once per rotation of its options.

A choice item with ``n`` displayed options is asked ``n`` times, its options shifted
by 0, 1, ..., n-1 positions (re-lettered, gold remapped), so each option takes every
letter once. The item then counts as right only when every rotation is fully right,
and it earns the fewest points any rotation earned: a model that prefers a letter
position cannot score by luck. Cloze items have no options and are asked once.

OpenCompass's own ``CircularDatasetMeta``/``CircularEvaluator`` do not fit here: they
rotate a fixed set of option columns (A-D) with one gold letter compared by string
equality, while these items have 3 to 6 options, several gold letters
(Multiple_choices) and points per letter.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ...scoring.points import ItemScore
from .framing import LETTERS, FramedQuestion, frame_question

__all__ = ["rotate", "rotations", "combine_rotations"]


def rotate(framed: FramedQuestion, shift: int) -> FramedQuestion:
    """``framed`` with its displayed options shifted left by ``shift`` (0 leaves it as is)."""
    count = len(framed.options)
    if not count:
        raise ValueError("only choice items (with options) can be rotated")
    shift %= count
    options = framed.options[shift:] + framed.options[:shift]
    gold = tuple(sorted(LETTERS[(LETTERS.index(letter) - shift) % count] for letter in framed.gold))
    return frame_question(replace(framed.question, options=options, answer=gold), shuffle=False)


def rotations(framed: FramedQuestion) -> tuple[FramedQuestion, ...]:
    """Every rotation of a choice item (shift 0 first); a Cloze item alone."""
    if not framed.options:
        return (framed,)
    return tuple(rotate(framed, shift) for shift in range(len(framed.options)))


def combine_rotations(scores: Sequence[ItemScore]) -> ItemScore:
    """One item's strict score: the fewest points of any rotation, right only if all are.

    Raises:
        ValueError: no scores, or rotations with different maximum points.
    """
    if not scores:
        raise ValueError("an item needs at least one rotation to be scored")
    maxima = {score.max_points for score in scores}
    if len(maxima) != 1:
        raise ValueError(f"rotations of one item disagree on its maximum points: {sorted(maxima)}")
    worst = min(scores, key=lambda score: score.points)
    return ItemScore(worst.points, maxima.pop(), all(score.correct for score in scores), worst.parsed)
