"""Framing of self-report items: verbatim question, lettered options, seeded shuffle."""

from __future__ import annotations

import pytest

from llmp_opencompass.data.records import Question, QuestionType
from llmp_opencompass.experiments.selfreport.framing import display_options, frame_question, shuffle_seed

HOBBIES = Question(
    character="Mary Jones",
    type=QuestionType.MULTIPLE_CHOICES,
    number=1,
    text="Do you have any hobbies you are passionate about?",
    options=("drawing", "scuba diving", "rock climbing", "learning languages", "gardening", "birdwatching"),
    answer=("C", "E", "F"),
)
NAME = Question("Mary Jones", QuestionType.CLOZE, 1, "What is your name?", (), ("Mary Jones",))


def _gold_texts(options: tuple[str, ...], letters: tuple[str, ...]) -> set[str]:
    return {options[ord(letter) - ord("A")] for letter in letters}


def test_shuffle_is_deterministic_and_gold_follows_the_options() -> None:
    options, gold = display_options(HOBBIES)
    assert (options, gold) == display_options(HOBBIES)
    assert sorted(options) == sorted(HOBBIES.options)
    assert _gold_texts(options, gold) == {"rock climbing", "gardening", "birdwatching"}
    assert list(gold) == sorted(gold)


def test_shuffle_false_keeps_upstream_order_and_letters() -> None:
    assert display_options(HOBBIES, shuffle=False) == (HOBBIES.options, ("C", "E", "F"))


def test_seed_depends_on_character_and_question() -> None:
    other = Question("Haley Collins", HOBBIES.type, 1, HOBBIES.text, HOBBIES.options, HOBBIES.answer)
    assert shuffle_seed(HOBBIES) != shuffle_seed(other)
    assert shuffle_seed(HOBBIES) == shuffle_seed(Question(**{**HOBBIES.__dict__, "number": 9}))


def test_shuffle_moves_letters_for_some_items() -> None:
    moved = [
        display_options(Question("Mary Jones", HOBBIES.type, 1, f"{HOBBIES.text} {i}", HOBBIES.options, HOBBIES.answer))
        != (HOBBIES.options, HOBBIES.answer)
        for i in range(20)
    ]
    assert sum(moved) >= 15


def test_choice_prompt_has_question_verbatim_and_one_option_per_line() -> None:
    framed = frame_question(HOBBIES)
    assert HOBBIES.text in framed.user
    lines = [line for line in framed.user.splitlines() if line[:3] in {f"{c}. " for c in "ABCDEF"}]
    assert lines == [f"{'ABCDEF'[i]}. {text}" for i, text in enumerate(framed.options)]
    assert '"The answer is ..."' in framed.user
    assert "Mary" not in framed.system + framed.user  # the frame carries no character information


def test_cloze_prompt_and_gold() -> None:
    framed = frame_question(NAME)
    assert framed.options == () and framed.gold == ("Mary Jones",)
    assert "What is your name?" in framed.user and "The answer is" in framed.user


def test_open_ended_is_not_framed_as_self_report() -> None:
    item = Question("Mary Jones", QuestionType.OPEN_ENDED, 1, "A scenario.")
    with pytest.raises(ValueError, match="not part of the scored self-report"):
        frame_question(item)
