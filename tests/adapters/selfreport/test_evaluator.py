"""SelfReportEvaluator: references from the dataset adapter, points and accuracy out."""

from __future__ import annotations

import json

import pytest

from llmp_opencompass.adapters.selfreport.evaluator import SelfReportEvaluator


def _ref(qtype: str, gold: list[str], options: list[str] | None = None, number: int = 1, repeat: int = 0) -> str:
    return json.dumps({"character": "Mary Jones", "type": qtype, "number": number, "options": options or [],
                       "gold": gold, "repeat": repeat})  # fmt: skip


def test_multiple_choice_points_and_details() -> None:
    options = ["drawing", "scuba diving", "rock climbing", "learning languages", "gardening", "birdwatching"]
    refs = [_ref("Multiple_choices", ["C", "E", "F"], options, number) for number in (1, 2, 3)]
    replies = ["The answer is C, E and F.", "The answer is C, E, F and B.", "The answer is A, B, C, D, E, F."]
    result = SelfReportEvaluator().score(replies, refs)
    assert result["points"] == 6 + 4 + 0
    assert result["accuracy"] == pytest.approx(100 / 3)
    assert [d["points"] for d in result["details"]] == [6, 4, 0]
    assert result["details"][1]["parsed"] == ["B", "C", "E", "F"]


def test_cloze_whole_word_and_dates() -> None:
    refs = [_ref("Cloze", ["Male"]), _ref("Cloze", ["1994-06-27"], number=2)]
    result = SelfReportEvaluator().score(["I'm a female.", "I was born on June 27, 1994."], refs)
    assert [d["points"] for d in result["details"]] == [0, 2]


def test_length_mismatch_raises_instead_of_scoring() -> None:
    with pytest.raises(ValueError, match="1 predictions for 2 references"):
        SelfReportEvaluator().score(["x"], [_ref("Cloze", ["a"]), _ref("Cloze", ["b"], number=2)])


def test_repeats_average_and_give_an_interval_paired_across_methods() -> None:
    refs = [_ref("Cloze", ["29"], number=n, repeat=r) for r in range(3) for n in (1, 2)]
    first = SelfReportEvaluator().score(["29", "29", "29", "no", "29", "no"], refs)
    assert first["repeats"] == 3 and first["points"] == pytest.approx(2 + 2 / 3)
    assert first["accuracy"] == pytest.approx(100 * 4 / 6)
    assert first["points_ci95_low"] < first["points"] < first["points_ci95_high"]
    assert len(first["points_bootstrap"]) == 1000
    again = SelfReportEvaluator().score(["29", "29", "29", "no", "29", "no"], refs)
    assert again["points_bootstrap"] == first["points_bootstrap"], "a fixed seed: the same interval every time"
    constant = SelfReportEvaluator().score(["29"] * 6, refs)
    assert constant["points_ci95_low"] == constant["points_ci95_high"] == constant["points"] == 4


def test_an_item_missing_from_a_repeat_is_an_error_not_a_score() -> None:
    refs = [_ref("Cloze", ["29"], number=1, repeat=0), _ref("Cloze", ["29"], number=2, repeat=0),
            _ref("Cloze", ["29"], number=1, repeat=1)]  # fmt: skip
    with pytest.raises(ValueError, match="every item must be scored once per repeat"):
        SelfReportEvaluator().score(["29"] * 3, refs)
