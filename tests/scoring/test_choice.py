"""Tests of option-letter parsing."""

from __future__ import annotations

import itertools
import random

import pytest

from llmp_opencompass.scoring import parse_choices

FOUR = ("low-income, extended family", "low-income, nuclear family", "middle-income, nuclear family", "owls")
SIX = ("drawing", "scuba diving", "rock climbing", "learning languages", "gardening", "birdwatching")


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ("B", ("B",)),
        ("B.", ("B",)),
        ("(b)", ("B",)),
        ("b)", ("B",)),
        ("(B)", ("B",)),
        ("[C]", ("C",)),
        ("'C'", ("C",)),
        ('"C"', ("C",)),
        ("**C**", ("C",)),
        ("_C_", ("C",)),
        ("Option C", ("C",)),
        ("Answer: C", ("C",)),
        ("Answer:C", ("C",)),
        ("C) middle-income, nuclear family", ("C",)),
        ("I pick C - middle-income", ("C",)),
        ("D\n", ("D",)),
    ],
)
def test_standalone_letter_forms(reply: str, expected: tuple[str, ...]) -> None:
    assert parse_choices(reply, FOUR) == expected


@pytest.mark.parametrize(
    "reply",
    [
        "C, E and F",
        "C/E/F",
        "C,E,F",
        "C E F",
        "C; E; F",
        "C-E-F",
        "(c), (e) and (f)",
        "F, C, E, C",
        "**C**, **E**, **F**",
    ],
)
def test_letter_lists(reply: str) -> None:
    assert parse_choices(reply, SIX) == ("C", "E", "F")


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ("E", ()),
        ("The answer is E.", ()),
        ("The answer is B or F.", ("B",)),
        ("Z", ()),
    ],
)
def test_letters_beyond_the_options_never_count(reply: str, expected: tuple[str, ...]) -> None:
    assert parse_choices(reply, FOUR) == expected


def test_letter_range_follows_number_of_options() -> None:
    assert parse_choices("The answer is E and F.", SIX) == ("E", "F")


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ("the answer is b", ("B",)),
        ("The answer is c, e and f.", ("C", "E", "F")),
        ("the answers are d/e", ("D", "E")),
        ("I think b is right", ()),  # no marker: bare lower case is prose
        ("I'd go with b.", ()),
        ("I'd say (b)", ("B",)),  # no marker: explicit label punctuation counts
        ("Probably b) for me.", ("B",)),
        ("I'd say (b) or (D)", ("B", "D")),
    ],
)
def test_lower_case_only_after_marker_or_as_label(reply: str, expected: tuple[str, ...]) -> None:
    assert parse_choices(reply, SIX) == expected


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ("A good question! I think it's D.", ("D",)),
        ("The answer is a tough one, but b.", ("B",)),
        ("A lot of people ask me that. C.", ("C",)),
        ("That was a really hard time. B", ("B",)),
        ("The answer is a bit of both: c.", ("C",)),
        ("A and C", ("A", "C")),
        ("A, C and E", ("A", "C", "E")),
        ("A or B", ("A", "B")),
        ("A & C", ("A", "C")),
        ("A.", ("A",)),
        ("A,", ("A",)),
        ("A)", ("A",)),
        ("A", ("A",)),
        ("I choose A", ("A",)),
        ("I choose A\nBecause my family was poor.", ("A",)),
        ("A: low-income, extended family", ("A",)),
        ("A - low-income", ("A",)),
        ("A is the right one.", ("A",)),
        ("The answer is A because we had little money.", ("A",)),
        ("The answer is a and c", ("A", "C")),
        ("The answer is A C E", ("A", "C", "E")),
        ("The answer is a option I like: D", ("A", "D")),  # "a option" is no article
    ],
)
def test_article_a_is_not_a_choice(reply: str, expected: tuple[str, ...]) -> None:
    assert parse_choices(reply, SIX) == expected


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ("The answer is A low-income, extended family", ("A",)),
        ("The answer is a Low-Income extended family.", ("A",)),
        ("The answer is a low-income, nuclear family.", ("B",)),  # article; B's text follows
        ("I grew up in A middle-income, nuclear family", ("C",)),
    ],
)
def test_a_followed_by_its_own_option_text_is_a_choice(reply: str, expected: tuple[str, ...]) -> None:
    assert parse_choices(reply, FOUR) == expected


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ("It's B.", ("B",)),  # the "s" of "it's" is not a letter choice
        ("I'm sure, D.", ("D",)),
        ("Don't pick C... The answer is D", ("D",)),
        ("The answer is C, e.g. because I love climbing.", ("C",)),
        ("The answer is C, i.e. rock climbing.", ("C",)),
        ("I lived in the U.S.A. for years; B.", ("B",)),
        ("The answer is D, we met at 9 a.m. every day.", ("D",)),
        ("I wore a T-shirt and sent an e-mail: C", ("C",)),
        ("We had a plan-B. The answer is D.", ("D",)),
        ("Vitamin B12 and C4 are not options; D", ("D",)),
        ("The answer is D, b/c of my job.", ("B", "C", "D")),  # known limit: "b/c" reads as letters
    ],
)
def test_letters_inside_words_do_not_count(reply: str, expected: tuple[str, ...]) -> None:
    assert parse_choices(reply, SIX) == expected


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ("A good question! I think it's D.", ("D",)),
        ("It's not B... The answer is C.", ("C",)),
        ("The answer is C, E, F and B.", ("B", "C", "E", "F")),
        ("The answer is C, E and F.", ("C", "E", "F")),
        ("The answer is A, B, C, D, E and F.", ("A", "B", "C", "D", "E", "F")),
        ("the answer is b", ("B",)),
    ],
)
def test_brief_examples(reply: str, expected: tuple[str, ...]) -> None:
    assert parse_choices(reply, SIX) == expected


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ("The answer is gardening, rock climbing and birdwatching.", ("C", "E", "F")),
        ("I love GARDENING and Rock  Climbing!", ("C", "E")),
        ("The answer is rock\nclimbing.", ("C",)),
        ("I enjoy drawings.", ()),  # whole phrase only, not inside a longer word
        ("I do some birdwatching and E.", ("E",)),  # a letter was found: texts are ignored
        ("The answer is none of them.", ()),
        ("Scuba diving? Never. The answer is learning languages.", ("D",)),
    ],
)
def test_option_text_without_letter(reply: str, expected: tuple[str, ...]) -> None:
    assert parse_choices(reply, SIX) == expected


def test_option_text_ignores_case_punctuation_and_trailing_period() -> None:
    options = (
        "My parents asked me to pursue this career.",
        "I need a job where I do not have to deal with people.",
        "I have been interested in nature since I was a kid, and I want to protect this land.",
        "No particular reason. I got into this profession by accident.",
    )
    reply = "I have been interested in nature since I was a kid and I want to protect this land"
    assert parse_choices(reply, options) == ("C",)


def test_option_text_apostrophes_are_equivalent() -> None:
    options = ("have earned a professional degree", "have earned a bachelor's degree", "x", "y")
    assert parse_choices("I have earned a bachelor’s degree", options) == ("B",)


def test_option_text_inside_longer_option_is_ignored() -> None:
    options = ("volunteering", "volunteering abroad", "reading", "cooking")
    assert parse_choices("The answer is volunteering abroad.", options) == ("B",)
    assert parse_choices("The answer is volunteering and volunteering abroad.", options) == ("A", "B")


def test_duplicate_option_text_is_ambiguous() -> None:
    options = ("woodworking", "playing video games", "playing football", "playing football", "surfing", "x")
    assert parse_choices("The answer is woodworking and playing football.", options) == ("A",)
    assert parse_choices("The answer is A and D.", options) == ("A", "D")


def test_no_letter_from_echoed_option_texts_with_article() -> None:
    reply = "The answer is C. I have been interested in nature since I was a kid."
    assert parse_choices(reply, FOUR) == ("C",)


@pytest.mark.parametrize("reply", ["", "   ", "\n\t", "The answer is", "The answer is   "])
def test_empty_reply_parses_to_nothing(reply: str) -> None:
    assert parse_choices(reply, SIX) == ()


def test_no_options_no_choices() -> None:
    assert parse_choices("The answer is A.", ()) == ()


def test_every_subset_in_every_format_round_trips() -> None:
    """Property: any subset of A-F written in a common list format parses back to itself."""
    rng = random.Random(0)
    formats = ("{}", "({})", "**{}**", "Option {}", "{}.", "'{}'")
    separators = (", ", " and ", "/", " & ", ", and ", " ")
    letters = "ABCDEF"
    for size in range(1, 7):
        for subset in itertools.combinations(letters, size):
            shown = [rng.choice(formats).format(rng.choice([c, c.lower()])) for c in subset]
            rng.shuffle(shown)
            reply = f"Let me think. The answer is {rng.choice(separators).join(shown)}"
            assert parse_choices(reply, SIX) == subset, reply
