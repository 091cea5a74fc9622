"""Tests of Cloze answer matching."""

from __future__ import annotations

import pytest

from llmp_opencompass.scoring import match_cloze


@pytest.mark.parametrize(
    ("reply", "gold", "expected"),
    [
        ("My name is Mary Jones.", "Mary Jones", True),
        ("The answer is mary jones", "Mary Jones", True),
        ("The answer is Mary  Jones", "Mary Jones", True),
        ("The answer is Mary\nJones", "Mary Jones", True),
        ("I'm Mary.", "Mary Jones", False),
        ("I'm Mary Jonesy.", "Mary Jones", False),
        ("I'm a female.", "Female", True),
        ("The answer is FEMALE", "female", True),
        ("I'm a female.", "Male", False),
        ("I'm male.", "Male", True),
        ("Male.", "Male", True),
        ("I'm a woman.", "Female", False),
        ("I work as a forestry worker.", "Forestry worker", True),
        ("I'm a Forestry-worker!", "Forestry worker", True),
        ("forestry  worker", "Forestry worker", True),
        ("The answer is: forestry worker", "Forestry  worker", True),
        ("I'm a forester.", "Forestry worker", False),
        ("I repair electrical equipment.", "electrical equipment repairer", False),
        ("The answer is Electrical Equipment Repairer.", "electrical equipment repairer", True),
        ("I'm a chef.", "Chef", True),
        ("I'm a sous-chef at heart; no, I'm the head chef.", "Chef", True),
        ("I love chefs' knives.", "Chef", False),
    ],
)
def test_whole_word_and_phrase(reply: str, gold: str, expected: bool) -> None:
    assert (match_cloze(reply, [gold]) == gold) is expected


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ("I'm 29.", True),
        ("The answer is 29", True),
        ("I'm 29 years old.", True),
        ("I'm a 29-year-old forestry worker.", True),
        ("I'm (29)", True),
        ("I'm 129.", False),
        ("I'm 290.", False),
        ("I'm 29.5 years old.", False),
        ("I'm twenty-nine.", False),  # ages as digits only
        ("I'm 30.", False),
    ],
)
def test_age_as_digits(reply: str, expected: bool) -> None:
    assert (match_cloze(reply, ["29"]) == "29") is expected


@pytest.mark.parametrize(
    "reply",
    [
        "The answer is 1994-06-27.",
        "1994/06/27",
        "1994.06.27",
        "1994-6-27",
        "I was born on June 27, 1994.",
        "June 27th, 1994",
        "june 27 1994",
        "JUNE 27TH 1994",
        "Jun 27, 1994",
        "Jun. 27, 1994",
        "27 June 1994",
        "27th of June 1994",
        "the 27th of june, 1994",
        "27 Jun 1994",
        "I was born on\nJune 27,\n1994",
    ],
)
def test_date_formats_match(reply: str) -> None:
    assert match_cloze(reply, ["1994-06-27"]) == "1994-06-27"


@pytest.mark.parametrize(
    "reply",
    [
        "1994-06-28",
        "1994-27-06",
        "June 28, 1994",
        "July 27, 1994",
        "June 27, 1995",
        "27 June 19940",
        "11994-06-27",
        "June 1994",
        "06/27/1994",  # numeric month-first/day-first forms are ambiguous, not read
        "27/06/1994",
        "1994-06-2",
    ],
)
def test_other_dates_do_not_match(reply: str) -> None:
    assert match_cloze(reply, ["1994-06-27"]) is None


@pytest.mark.parametrize(
    ("reply", "gold"),
    [
        ("Sept 11, 1979", "1979-09-11"),
        ("September 11th, 1979", "1979-09-11"),
        ("11 sep 1979", "1979-09-11"),
        ("May 5, 1996", "1996-05-05"),
        ("5th of May 1996", "1996-05-05"),
        ("Dec 31, 1999", "1999-12-31"),
        ("1st of January 2000", "2000-01-01"),
    ],
)
def test_month_names_and_abbreviations(reply: str, gold: str) -> None:
    assert match_cloze(reply, [gold]) == gold


def test_impossible_dates_in_text_are_ignored() -> None:
    assert match_cloze("February 30, 1994 or 1994-06-27", ["1994-06-27"]) == "1994-06-27"
    assert match_cloze("February 30, 1994", ["1994-02-28"]) is None


def test_only_text_after_last_marker_is_read() -> None:
    assert match_cloze("I'm Mary Jones. The answer is Jane.", ["Mary Jones"]) is None
    assert match_cloze("I'm Jane? No. The answer is Mary Jones.", ["Mary Jones"]) == "Mary Jones"


def test_first_matching_gold_is_returned() -> None:
    assert match_cloze("I'm a woman, a female.", ["woman", "female"]) == "woman"
    assert match_cloze("I'm a female.", ["woman", "female"]) == "female"


@pytest.mark.parametrize("gold", [[], [""], ["  "], ["..."]])
def test_blank_gold_never_matches(gold: list[str]) -> None:
    assert match_cloze("anything ... at all", gold) is None


@pytest.mark.parametrize("reply", ["", "   ", "The answer is"])
def test_empty_reply_matches_nothing(reply: str) -> None:
    assert match_cloze(reply, ["Female"]) is None


def test_apostrophes_are_equivalent() -> None:
    assert match_cloze("I'm Sean O’Brien", ["Sean O'Brien"]) == "Sean O'Brien"


@pytest.mark.parametrize(
    ("reply", "gold", "expected"),
    [
        ("The answer is male or female, I'm not sure.", "Male", None),
        ("The answer is female... or maybe male", "female", None),
        ("I'm non-binary, not female.", "Female", None),
        ("The answer is male.", "Male", "Male"),
        ("The answer is Female.", "female", "female"),
    ],
)
def test_naming_several_genders_is_a_hedge_not_an_answer(reply: str, gold: str, expected: str | None) -> None:
    assert match_cloze(reply, [gold]) == expected
