"""Tests of item points and summaries."""

from __future__ import annotations

import itertools
import math

import pytest

from llmp_opencompass.data.records import QuestionType
from llmp_opencompass.scoring import POINTS_PER_UNIT, ItemScore, ScoreSummary, score_item, summarize

CLOZE, SC, MC = QuestionType.CLOZE, QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICES
FOUR = ("low-income, extended family", "low-income, nuclear family", "middle-income, nuclear family", "rich")
SIX = ("drawing", "scuba diving", "rock climbing", "learning languages", "gardening", "birdwatching")
GOLD_MC = ("C", "E", "F")


@pytest.mark.parametrize(
    ("reply", "gold", "points", "parsed"),
    [
        ("I'm a female.", ["Male"], 0, ()),
        ("I'm a male.", ["Male"], 2, ("Male",)),
        ("I was born on June 27, 1994.", ["1994-06-27"], 2, ("1994-06-27",)),
        ("The answer is Mary Jones.", ["Mary Jones"], 2, ("Mary Jones",)),
        ("I'm 129.", ["29"], 0, ()),
        ("", ["Female"], 0, ()),
    ],
)
def test_cloze_points(reply: str, gold: list[str], points: int, parsed: tuple[str, ...]) -> None:
    assert score_item(CLOZE, reply, gold) == ItemScore(points, 2, points == 2, parsed)


@pytest.mark.parametrize(
    ("reply", "points", "parsed"),
    [
        ("the answer is b", 2, ("B",)),
        ("The answer is B.", 2, ("B",)),
        ("A good question! I think it's B.", 2, ("B",)),
        ("It's not C... The answer is B.", 2, ("B",)),
        ("The answer is B or C.", 0, ("B", "C")),  # hedging is wrong, not a coin toss
        ("The answer is C.", 0, ("C",)),
        ("The answer is E.", 0, ()),  # E is not an option of a 4-option item
        ("The answer is low-income, nuclear family.", 2, ("B",)),
        ("", 0, ()),
        ("   ", 0, ()),
    ],
)
def test_single_choice_points(reply: str, points: int, parsed: tuple[str, ...]) -> None:
    assert score_item(SC, reply, ["B"], FOUR) == ItemScore(points, 2, points == 2, parsed)


@pytest.mark.parametrize(
    ("reply", "points"),
    [
        ("The answer is C, E and F.", 6),
        ("The answer is C, E, F and B.", 4),
        ("The answer is C, E, F, A and B.", 2),
        ("The answer is C, E, F, A, B and D.", 0),
        ("The answer is A, B and D.", 0),
        ("The answer is C.", 2),
        ("The answer is C and A.", 0),
        ("The answer is gardening, rock climbing and birdwatching.", 6),
        ("", 0),
    ],
)
def test_multiple_choices_points(reply: str, points: int) -> None:
    score = score_item(MC, reply, list(GOLD_MC), SIX)
    assert (score.points, score.max_points, score.correct) == (points, 6, points == 6)


def test_multiple_choices_every_subset() -> None:
    """Property: points are max(0, 2 * (hits - misses)) for every chosen subset."""
    for size in range(7):
        for chosen in itertools.combinations("ABCDEF", size):
            score = score_item(MC, f"The answers are {', '.join(chosen)}.", GOLD_MC, SIX)
            hits = len(set(chosen) & set(GOLD_MC))
            assert score.parsed == chosen
            assert score.points == max(0, POINTS_PER_UNIT * (hits - (len(chosen) - hits)))
            assert score.correct is (set(chosen) == set(GOLD_MC))


def test_gold_letters_are_normalised() -> None:
    assert score_item(SC, "B", [" b "], FOUR).points == 2
    assert score_item(MC, "C, E, F", ["f", "c", "e"], SIX).points == 6


def test_open_ended_is_refused() -> None:
    with pytest.raises(ValueError, match="Open-Ended items are not scored automatically"):
        score_item(QuestionType.OPEN_ENDED, "I would feel sad.", [""])


@pytest.mark.parametrize(
    ("qtype", "gold", "options", "message"),
    [
        (CLOZE, [], (), "non-blank gold"),
        (CLOZE, ["", " "], (), "non-blank gold"),
        (SC, ["B"], (), "options"),
        (MC, ["C", "E", "F"], (), "options"),
        (SC, ["E"], FOUR, "letters among A, B, C, D"),
        (SC, ["B", "C"], FOUR, "one gold letter"),
        (SC, [], FOUR, "must be letters"),
        (MC, ["CE"], SIX, "must be letters"),
        (MC, ["G"], SIX, "must be letters"),
    ],
)
def test_invalid_items_raise(
    qtype: QuestionType,
    gold: list[str],
    options: tuple[str, ...],
    message: str,
) -> None:
    with pytest.raises(ValueError, match=message):
        score_item(qtype, "The answer is B.", gold, options)


def test_summary_of_a_character() -> None:
    scores = [
        *(score_item(CLOZE, "I'm a male.", ["Male"]) for _ in range(4)),
        score_item(CLOZE, "I'm a female.", ["Male"]),
        *(score_item(SC, "The answer is B.", ["B"], FOUR) for _ in range(5)),
        *(score_item(MC, "The answer is C, E and F.", GOLD_MC, SIX) for _ in range(4)),
        score_item(MC, "The answer is C, E, F and B.", GOLD_MC, SIX),
    ]
    summary = summarize(scores)
    assert summary == ScoreSummary(points=8 + 10 + 28, max_points=50, accuracy=summary.accuracy, n=15)
    assert math.isclose(summary.accuracy, 100 * 13 / 15)


def test_summary_of_perfect_and_zero_items() -> None:
    assert summarize([ItemScore(2, 2, True, ("B",))]) == ScoreSummary(2, 2, 100.0, 1)
    assert summarize([ItemScore(0, 2, False, ())]) == ScoreSummary(0, 2, 0.0, 1)


def test_summary_of_nothing_raises() -> None:
    with pytest.raises(ValueError, match="empty"):
        summarize([])


def test_records_are_frozen() -> None:
    score = ItemScore(2, 2, True, ("B",))
    with pytest.raises(AttributeError):
        score.points = 0  # type: ignore[misc]
