"""The line-choice parser: many phrasings, negation, others' answers, conflicts."""

from __future__ import annotations

import pytest

from llmp_opencompass.scoring.line_choice import parse_line


@pytest.mark.parametrize(
    ("reply", "line"),
    [
        ("Line 2", 2),
        ("line two", 2),
        ("LINE THREE!", 3),
        ("the second line", 2),
        ("The third one.", 3),
        ("I think it's the first.", 1),
        ("2", 2),
        ("3.", 3),
        ("I'd say 3", 3),
        ("I’d say two.", 2),
        ("number 3", 3),
        ("Line #1.", 1),
        ("#3", 3),
        ("Line no. 2", 2),
        ("Option 2 matches.", 2),
        ("It’s line 3, clearly.", 3),
        ("My answer: line three", 3),
        ("Honestly? 1", 1),
        ("The 2nd line looks the same as the standard.", 2),
    ],
)
def test_plain_answers(reply: str, line: int) -> None:
    assert parse_line(reply) == line


@pytest.mark.parametrize(
    ("reply", "line"),
    [
        ("Everyone said line 1 but I think line 2", 2),
        ("They all chose line 3, I'm going with line 2.", 2),
        ("The six people before me said line 1, and I agree: line 1.", 1),
        ("Like the others, I'd say line 1", 1),
        ("I'll go along with the group. Line 1.", 1),
        ("I see what they mean, but line 2 matches the standard.", 2),
    ],
)
def test_others_answers_repeated_in_prose_are_not_the_subjects(reply: str, line: int) -> None:
    assert parse_line(reply) == line


@pytest.mark.parametrize(
    ("reply", "line"),
    [
        ("Not line 1, line 2.", 2),
        ("I don't think it's line 1; it's line 2", 2),
        ("It's not line 1 but line 3", 3),
        ("Not 1, it's 2", 2),
    ],
)
def test_negated_mentions_are_dropped(reply: str, line: int) -> None:
    assert parse_line(reply) == line


@pytest.mark.parametrize(
    ("reply", "line"),
    [
        ("Line 1: 8.75 inches, Line 2: 10.00 inches, Line 3: 8.00 inches. The answer is line 2.", 2),
        ("Standard line: 3.00 inches and line 3 is 3.00 inches, so line 3.", 3),
        ("Line 2 matches the standard; line 1 is shorter.", 2),
        ("Hmm, 3.75 and 4.25 are too long, so 3.", 3),
        ("Lines 1 and 3 are too short, so 2", 2),
        ("Trial 3: line 1", 1),
    ],
)
def test_lengths_and_descriptions_around_the_answer(reply: str, line: int) -> None:
    assert parse_line(reply) == line


@pytest.mark.parametrize(
    "reply",
    [
        "",
        "I don't know.",
        "Line 1 or line 2",
        "Everyone said line 1.",
        "Line 1 is 8.75 inches, line 2 is 10.00 inches.",
        "10.00 inches",
        "It is 1 of 18 rounds",
        "I'd say line 1. No wait, I'd say line 3.",
        "Not line 1.",
        "The six people before you said, one after another: line 1.\nYou are the first",
        "They said, one after another: line 2, line 2, line 2.",
    ],
)
def test_unclear_replies_are_unparsed(reply: str) -> None:
    assert parse_line(reply) is None
