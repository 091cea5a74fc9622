"""SelfReportEvaluator: references from the dataset adapter, points and accuracy out."""

from __future__ import annotations

import json

import pytest

from llmp_opencompass.adapters.selfreport.evaluator import SelfReportEvaluator


def _ref(qtype: str, gold: list[str], options: list[str] | None = None) -> str:
    return json.dumps({"character": "Mary Jones", "type": qtype, "number": 1, "options": options or [], "gold": gold})


def test_multiple_choice_points_and_details() -> None:
    options = ["drawing", "scuba diving", "rock climbing", "learning languages", "gardening", "birdwatching"]
    refs = [_ref("Multiple_choices", ["C", "E", "F"], options)] * 3
    replies = ["The answer is C, E and F.", "The answer is C, E, F and B.", "The answer is A, B, C, D, E, F."]
    result = SelfReportEvaluator().score(replies, refs)
    assert result["points"] == 6 + 4 + 0
    assert result["accuracy"] == pytest.approx(100 / 3)
    assert [d["points"] for d in result["details"]] == [6, 4, 0]
    assert result["details"][1]["parsed"] == ["B", "C", "E", "F"]


def test_cloze_whole_word_and_dates() -> None:
    refs = [_ref("Cloze", ["Male"]), _ref("Cloze", ["1994-06-27"])]
    result = SelfReportEvaluator().score(["I'm a female.", "I was born on June 27, 1994."], refs)
    assert [d["points"] for d in result["details"]] == [0, 2]


def test_length_mismatch_raises_instead_of_scoring() -> None:
    with pytest.raises(ValueError, match="1 predictions for 2 references"):
        SelfReportEvaluator().score(["x"], [_ref("Cloze", ["a"]), _ref("Cloze", ["b"])])
