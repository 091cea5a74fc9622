"""Tests of the answer-marker rule."""

from __future__ import annotations

import pytest

from llmp_opencompass.scoring import answer_segment


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ("The answer is C.", (" C.", True)),
        ("the answer is b", (" b", True)),
        ("THE ANSWER IS D", (" D", True)),
        ("The Answer Is: A", (": A", True)),
        ("The answers are C, E and F.", (" C, E and F.", True)),
        ("the ANSWERS are b and c", (" b and c", True)),
        ("Thinking...\nThe answer\nis   B", ("   B", True)),
        ("**The answer is** C", ("** C", True)),
    ],
)
def test_marker_found_any_case_and_spacing(reply: str, expected: tuple[str, bool]) -> None:
    assert answer_segment(reply) == expected


def test_last_occurrence_wins() -> None:
    reply = 'I should reply "The answer is ...". It is not B... The answer is C. Hmm, the answer is D.'
    assert answer_segment(reply) == (" D.", True)


def test_mixed_markers_last_wins() -> None:
    assert answer_segment("The answer is B. Actually the answers are C and E.") == (" C and E.", True)


@pytest.mark.parametrize(
    "reply",
    [
        "I think it's D.",
        "The correct option is C.",
        "The answer isn't obvious, maybe B.",  # "isn't" is not the marker
        "the answer: C",
        "bathe answer is",  # "the" must start a word
        "",
        "   ",
    ],
)
def test_no_marker_reads_whole_reply(reply: str) -> None:
    assert answer_segment(reply) == (reply, False)


def test_marker_at_end_leaves_nothing_to_read() -> None:
    assert answer_segment("I'm not sure. The answer is") == ("", True)
