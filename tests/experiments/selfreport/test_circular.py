"""Option rotations and strict scoring of the circular self-report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from llmp_opencompass.data.records import Question, QuestionType
from llmp_opencompass.experiments.selfreport.circular import combine_rotations, rotate, rotations
from llmp_opencompass.experiments.selfreport.framing import frame_question
from llmp_opencompass.scoring.points import ItemScore

QUESTION = Question(
    "Mary Jones", QuestionType.MULTIPLE_CHOICES, 1, "What do you like?", ("a", "b", "c", "d"), ("B", "D")
)


def test_each_option_takes_every_letter_and_gold_follows_it() -> None:
    framed = frame_question(QUESTION, shuffle=False)
    all_rotations = rotations(framed)
    assert [r.options for r in all_rotations] == [
        ("a", "b", "c", "d"), ("b", "c", "d", "a"), ("c", "d", "a", "b"), ("d", "a", "b", "c"),
    ]  # fmt: skip
    for rotated in all_rotations:
        assert sorted(rotated.options[ord(g) - ord("A")] for g in rotated.gold) == ["b", "d"]
        assert "A. " + rotated.options[0] in rotated.user
    assert rotate(framed, 4) == framed


def test_cloze_is_asked_once() -> None:
    cloze = Question("Mary Jones", QuestionType.CLOZE, 1, "My name is ___.", answer=("Mary",))
    framed = frame_question(cloze)
    assert rotations(framed) == (framed,)
    with pytest.raises(ValueError, match="only choice items"):
        rotate(framed, 1)


def test_an_item_is_right_only_when_every_rotation_is() -> None:
    combined = combine_rotations([ItemScore(4, 4, True, ("B", "D")), ItemScore(2, 4, False, ("B",))])
    assert (combined.points, combined.max_points, combined.correct) == (2, 4, False)
    with pytest.raises(ValueError, match="disagree"):
        combine_rotations([ItemScore(2, 2, True, ()), ItemScore(2, 4, False, ())])
    with pytest.raises(ValueError, match="at least one"):
        combine_rotations([])


def test_circular_dataset_and_evaluator(shared_data_dir: Path) -> None:
    from llmp_opencompass.adapters.selfreport.circular import CircularSelfReportDataset, CircularSelfReportEvaluator

    data = CircularSelfReportDataset.load(
        character="Mary Jones", question_type="Single_choice", data_dir=str(shared_data_dir)
    )
    refs = [json.loads(r) for r in data["reference"]]
    assert len(data) == sum(len(r["options"]) for r in refs if r["rotation"] == 0)
    replies = [f"The answer is {r['gold'][0]}." for r in refs]
    replies[1] = "The answer is A." if refs[1]["gold"] != ["A"] else "The answer is B."
    result = CircularSelfReportEvaluator().score(replies, list(data["reference"]))
    assert (result["points"], result["accuracy"], result["score"]) == (8, 80.0, 80.0)
    assert result["rotation_accuracy"] == pytest.approx(100 * (len(data) - 1) / len(data))
    assert len(result["details"]) == len(data) and result["details"][0]["item_correct"] is False
