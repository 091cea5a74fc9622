"""Open-Ended items, their framing, the rater CSV and the judge's rating parser."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from llmp_opencompass.data import HumanSimulacra
from llmp_opencompass.errors import ConfigError, MalformedDataFileError
from llmp_opencompass.experiments.observer import (
    CSV_COLUMNS,
    ObserverAnswer,
    find_run_dir,
    frame_open_ended,
    judge_messages,
    judge_template_sha256,
    open_ended_items,
    parse_rating,
    read_answers,
    write_answers_csv,
)


def test_upstream_items_exist_only_for_mary_and_haley(data_store: HumanSimulacra) -> None:
    available = [c.name for c in data_store.characters() if open_ended_items(data_store, c.name)]
    assert sorted(available) == ["Haley Collins", "Mary Jones"]
    items = open_ended_items(data_store, "Mary Jones")
    assert len(items) == 5 and items[0].text.startswith("On your birthday") and items[0].number == 1


def test_user_items_replace_upstream_and_fill_withheld_ones(data_store: HumanSimulacra, tmp_path: Path) -> None:
    (tmp_path / "sara_ochoa").mkdir()
    items = [{"type": "Open-Ended", "question": "A stranger asks you for directions."}, {"question": " "}]
    (tmp_path / "sara_ochoa" / "Open-Ended.json").write_text(json.dumps(items))
    sara = open_ended_items(data_store, "Sara Ochoa", tmp_path)
    assert [(q.number, q.text) for q in sara] == [(1, "A stranger asks you for directions.")]
    assert len(open_ended_items(data_store, "Mary Jones", tmp_path)) == 5  # no user file: upstream


@pytest.mark.parametrize("content", ['{"question": "x"}', '[{"type": "Cloze", "question": "x"}]', "[1]", "not json"])
def test_malformed_user_file_names_the_file(data_store: HumanSimulacra, tmp_path: Path, content: str) -> None:
    (tmp_path / "Mary Jones").mkdir()
    (tmp_path / "Mary Jones" / "Open-Ended.json").write_text(content)
    with pytest.raises(MalformedDataFileError, match=r"Open-Ended\.json"):
        open_ended_items(data_store, "Mary Jones", tmp_path)


def test_framing_asks_for_the_four_parts_in_own_words(data_store: HumanSimulacra) -> None:
    question = open_ended_items(data_store, "Haley Collins")[0]
    system, user = frame_open_ended(question)
    assert "Alice" in system and question.text in user
    assert all(part in user for part in ("Motive", "Emotion", "Approach", "Behaviour"))


def _fake_run(root: Path) -> Path:
    run = root / "20250101_000000"
    for model, answer in (("prompt-m", "I would smile."), ("blank-m", "As an AI, I cannot.")):
        folder = run / "predictions" / model
        folder.mkdir(parents=True)
        gold = json.dumps({"character": "Mary Jones", "number": 2, "scenario": 'A party, with a "quote", and commas.'})
        entries = {"0": {"origin_prompt": [], "prediction": answer, "gold": gold}}
        (folder / "llmp-observer-mary_jones.json").write_text(json.dumps(entries))
        (folder / "llmp-jung-mary_jones.json").write_text("{}")
    return root


def test_csv_export_of_a_run(tmp_path: Path) -> None:
    workdir = _fake_run(tmp_path / "out")
    answers = read_answers(find_run_dir(workdir))
    assert [a.method for a in answers] == ["blank-m", "prompt-m"]
    out = write_answers_csv(answers, tmp_path / "csv" / "answers.csv")
    with out.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert rows[1] == {
        "character": "Mary Jones", "method": "prompt-m", "item": "2",
        "scenario": 'A party, with a "quote", and commas.', "answer": "I would smile.", "rating": "", "rater_notes": "",
    }  # fmt: skip


def test_find_run_dir_errors_without_predictions(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no OpenCompass run with predictions"):
        find_run_dir(tmp_path)
    assert write_answers_csv([ObserverAnswer("A", "m", 1, "s", "a")], tmp_path / "x.csv").is_file()


@pytest.mark.parametrize(
    ("reply", "rating"),
    [
        ("Fits well.\nRating: 4", 4),
        ("Rating: **5**", 5),
        ("rating = 2. On reflection... Rating: 3", 3),
        ("I'd give it 4/5.", 4),
        ("A solid 2 out of 5", 2),
        ("Rating: 4.5", None),
        ("Rating: 7", None),
        ("Between 3/5 and 4/5", None),
        ("Great answer!", None),
        ("", None),
    ],
)
def test_parse_rating(reply: str, rating: int | None) -> None:
    assert parse_rating(reply) == rating


def test_judge_prompt_holds_card_scenario_answer_and_rubric(data_store: HumanSimulacra) -> None:
    mary = data_store.character("Mary Jones")
    (message,) = judge_messages(mary, "A birthday dinner.", "I'd laugh and sing along.")
    assert message.role == "user"
    for text in ("forestry worker", mary.traits[0], "A birthday dinner.", "I'd laugh and sing along.", "Rating: N"):
        assert text in message.content
    assert len(judge_template_sha256()) == 64
