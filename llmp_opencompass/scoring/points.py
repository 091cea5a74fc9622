"""Points for the self-report questionnaires, as in the paper (2 points per unit).

* Cloze and Single_choice: 2 points for a correct item, else 0.
* Multiple_choices: +2 per gold letter chosen, -2 per other letter chosen, floored
  at 0 per item (so 6 at most for 3 gold letters).
* With 5 items per type a character scores at most 10 + 10 + 30 = 50.

Differences from the original ``LLMPEvaluator`` (spec section 2.4):

1. Cloze items are scored; the original crashed on them (``'cloze'`` vs ``'Cloze'``).
2. Cloze answers match as whole words or phrases, not substrings: "female" no longer
   earns the point for "Male", nor "129" for "29". Dates are read in common formats.
3. The marker "the answer is" / "the answers are" is found in any case, and the
   last occurrence is used.
4. Lower-case letters count after the marker ("the answer is b"); without it, when
   written as labels ("(b)", "b)").
5. The article "A" ("A good question! ...") is not read as option A.
6. Single choice reads only the letters of its own options (no E/F), and naming
   several letters ("B or C") is wrong instead of the first one counting.
7. An option's text quoted without its letter counts as that option.
8. Open-Ended items are never scored as 0: :func:`score_item` refuses them (they go
   to human raters).
"""

from __future__ import annotations

import string
from collections.abc import Sequence
from dataclasses import dataclass

from llmp_opencompass.data.records import QuestionType
from llmp_opencompass.scoring.choice import parse_choices
from llmp_opencompass.scoring.cloze import match_cloze

__all__ = ["POINTS_PER_UNIT", "ItemScore", "ScoreSummary", "score_item", "summarize"]

POINTS_PER_UNIT = 2
"""Points per correct Cloze/Single_choice item and per Multiple_choices letter."""


@dataclass(frozen=True)
class ItemScore:
    """The score of one questionnaire item."""

    points: int
    """Points earned, 0 to ``max_points``."""
    max_points: int
    """Points for a fully correct answer (2, or 2 per gold letter for Multiple_choices)."""
    correct: bool
    """Full credit: ``points == max_points``."""
    parsed: tuple[str, ...]
    """Letters chosen (choice items) or the matched gold answer (Cloze); empty if nothing."""


@dataclass(frozen=True)
class ScoreSummary:
    """Totals over a set of items."""

    points: int
    """Sum of the items' points."""
    max_points: int
    """Sum of the items' maximum points."""
    accuracy: float
    """Percentage (0-100) of items with full credit."""
    n: int
    """Number of items."""


def _gold_letters(gold: Sequence[str], options: Sequence[str]) -> frozenset[str]:
    """Validated upper-case gold letters of a choice item."""
    if not options:
        raise ValueError("choice items need their displayed options to be scored")
    valid = string.ascii_uppercase[: len(options)]
    letters = [answer.strip().upper() for answer in gold]
    if not letters or any(len(letter) != 1 or letter not in valid for letter in letters):
        raise ValueError(f"gold {list(gold)!r} must be letters among {', '.join(valid)}")
    return frozenset(letters)


def _score_cloze(reply: str, gold: Sequence[str]) -> ItemScore:
    if not any(answer.strip() for answer in gold):
        raise ValueError("a Cloze item needs at least one non-blank gold answer")
    matched = match_cloze(reply, gold)
    points = POINTS_PER_UNIT if matched is not None else 0
    parsed = (matched,) if matched is not None else ()
    return ItemScore(points, POINTS_PER_UNIT, matched is not None, parsed)


def _score_single(reply: str, gold: Sequence[str], options: Sequence[str]) -> ItemScore:
    letters = _gold_letters(gold, options)
    if len(letters) != 1:
        raise ValueError(f"a Single_choice item has one gold letter, got {list(gold)!r}")
    parsed = parse_choices(reply, options)
    correct = frozenset(parsed) == letters
    return ItemScore(POINTS_PER_UNIT if correct else 0, POINTS_PER_UNIT, correct, parsed)


def _score_multiple(reply: str, gold: Sequence[str], options: Sequence[str]) -> ItemScore:
    letters = _gold_letters(gold, options)
    parsed = parse_choices(reply, options)
    hits = sum(letter in letters for letter in parsed)
    misses = len(parsed) - hits
    points = max(0, POINTS_PER_UNIT * (hits - misses))
    max_points = POINTS_PER_UNIT * len(letters)
    return ItemScore(points, max_points, points == max_points, parsed)


def score_item(
    qtype: QuestionType,
    reply: str,
    gold: Sequence[str],
    options: Sequence[str] = (),
) -> ItemScore:
    """Score one reply.

    Args:
        qtype: The item's type; Open-Ended is not scored automatically.
        reply: The model's whole reply (empty or blank scores 0).
        gold: Accepted answers for Cloze; the gold letters, as displayed, for choice items.
        options: Displayed option texts, in displayed order, without labels (choice items).

    Returns:
        The item's score.

    Raises:
        ValueError: Open-Ended item, blank Cloze gold, missing options, or gold letters
            that are not among the options (Single_choice: not exactly one).
    """
    if qtype is QuestionType.CLOZE:
        return _score_cloze(reply, gold)
    if qtype is QuestionType.SINGLE_CHOICE:
        return _score_single(reply, gold, options)
    if qtype is QuestionType.MULTIPLE_CHOICES:
        return _score_multiple(reply, gold, options)
    raise ValueError(f"{qtype.value} items are not scored automatically: their replies go to human raters")


def summarize(scores: Sequence[ItemScore]) -> ScoreSummary:
    """Total points and full-credit accuracy over ``scores``.

    Raises:
        ValueError: ``scores`` is empty (an accuracy of nothing is not 0).
    """
    if not scores:
        raise ValueError("cannot summarize an empty list of item scores")
    correct = sum(score.correct for score in scores)
    return ScoreSummary(
        points=sum(score.points for score in scores),
        max_points=sum(score.max_points for score in scores),
        accuracy=100.0 * correct / len(scores),
        n=len(scores),
    )
