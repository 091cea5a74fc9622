"""The observer report's OpenCompass dataset, evaluator (with a scripted judge) and builder."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pytest

from llmp_opencompass.adapters.observer.builder import build
from llmp_opencompass.adapters.observer.dataset import ObserverDataset
from llmp_opencompass.adapters.observer.evaluator import ObserverEvaluator
from llmp_opencompass.errors import ConfigError
from llmp_opencompass.servers.scripted import Reply, ScriptedServer


def _env(data: Path, **extra: str) -> dict[str, str]:
    return {"LLMP_MODEL": "m", "OPENAI_BASE_URL": "http://127.0.0.1:9/v1", "LLMP_DATA_DIR": str(data), **extra}


def _references(data: Path) -> list[str]:
    return [r["reference"] for r in ObserverDataset.load(str(data), "Mary Jones")]


def test_build_registers_characters_with_items_and_marks_the_rest_unavailable(shared_data_dir: Path) -> None:
    built = build("prompt", environ=_env(shared_data_dir, LLMP_CHARACTERS="Mary Jones,Sara Ochoa,Haley Collins"))
    assert [d["abbr"] for d in built["datasets"]] == ["llmp-observer-mary_jones", "llmp-observer-haley_collins"]
    assert built["summarizer"]["dataset_abbrs"] == [
        ("llmp-observer-mary_jones", "n_answers"),
        ("llmp-observer-haley_collins", "n_answers"),
        "llmp-observer-sara_ochoa-unavailable",
    ]
    assert "judge" not in built["datasets"][0]["eval_cfg"]["evaluator"]


def test_build_without_any_items_is_a_clear_error(shared_data_dir: Path) -> None:
    with pytest.raises(ConfigError, match="LLMP_OPEN_ENDED_DIR"):
        build("prompt", environ=_env(shared_data_dir, LLMP_CHARACTERS="Sara Ochoa"))


def test_user_items_make_a_character_available(shared_data_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "Sara Ochoa").mkdir()
    (tmp_path / "Sara Ochoa" / "Open-Ended.json").write_text(json.dumps([{"question": "Your bus is late."}]))
    env = _env(shared_data_dir, LLMP_CHARACTERS="Sara Ochoa", LLMP_OPEN_ENDED_DIR=str(tmp_path))
    (dataset,) = build("prompt", environ=env)["datasets"]
    assert dataset["abbr"] == "llmp-observer-sara_ochoa" and dataset["open_ended_dir"] == str(tmp_path)
    rows = ObserverDataset.load(str(shared_data_dir), "Sara Ochoa", open_ended_dir=str(tmp_path))
    assert len(rows) == 1 and "Your bus is late." in rows[0]["prompt"]


def test_judge_settings_hold_the_key_variable_not_the_key(shared_data_dir: Path) -> None:
    env = _env(shared_data_dir, LLMP_CHARACTERS="Mary Jones", LLMP_JUDGE_MODEL="judge-1", LLMP_JUDGE_API_KEY="sk-x")
    built = build("prompt", environ=env)
    judge = built["datasets"][0]["eval_cfg"]["evaluator"]["judge"]
    assert judge == {"model": "judge-1", "base_url": "http://127.0.0.1:9/v1", "api_key_env": "LLMP_JUDGE_API_KEY",
                     "max_tokens": 256}  # fmt: skip
    assert "sk-x" not in json.dumps(built)
    assert built["summarizer"]["dataset_abbrs"][0] == ("llmp-observer-judge-mean", "naive_average")


def test_evaluator_without_judge_counts_answers_and_writes_the_csv(shared_data_dir: Path, tmp_path: Path) -> None:
    evaluator = ObserverEvaluator(str(shared_data_dir))
    evaluator._out_dir = str(tmp_path / "results" / "prompt-m" / "llmp-observer-mary_jones")
    result = evaluator.score(["I'd blush.", "", "Sure.", "Fine.", "Okay."], _references(shared_data_dir))
    assert (result["n_answers"], result["n_empty"]) == (4, 1) and "judge_rating" not in result
    with open(result["csv_path"], newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["method"] for r in rows] == ["prompt-m"] * 5 and rows[0]["answer"] == "I'd blush."


def _judge_reply(body: dict) -> Reply:
    prompt = body["messages"][-1]["content"]
    if "ANSWER-A" in prompt:
        return Reply("Very much her.\nRating: 5")
    if "ANSWER-B" in prompt:
        return Reply("Generic. Rating: 2")
    return Reply("I cannot decide.")


def test_scripted_judge_ratings_are_parsed_and_recorded(shared_data_dir: Path) -> None:
    with ScriptedServer(_judge_reply, model="judge-1") as server:
        judge = {"model": "judge-1", "base_url": server.base_url, "api_key_env": "LLMP_NO_SUCH_KEY", "max_tokens": 64}
        result = ObserverEvaluator(str(shared_data_dir), judge=judge).score(
            ["ANSWER-A", "ANSWER-B", "ANSWER-C", "", "ANSWER-A"], _references(shared_data_dir)
        )
    assert len(server.requests) == 4  # the blank answer is not sent
    assert server.requests[0]["model"] == "judge-1" and server.requests[0]["temperature"] == 0.0
    assert "forestry worker" in server.requests[0]["messages"][0]["content"]
    assert result["judge_rating"] == pytest.approx(4.0) and (result["judge_rated"], result["judge_unrated"]) == (3, 2)
    assert [d["judge_rating"] for d in result["details"]] == [5, 2, None, None, 5]
    assert result["judge"]["template"] == "observer_judge" and len(result["judge"]["template_sha256"]) == 64
    assert result["csv_path"] is None  # no OpenCompass output directory outside a task


def test_judge_that_never_rates_gives_nan(shared_data_dir: Path) -> None:
    with ScriptedServer(lambda body: Reply("No idea.")) as server:
        judge = {"model": "j", "base_url": server.base_url, "api_key_env": "LLMP_NO_SUCH_KEY", "max_tokens": 16}
        result = ObserverEvaluator(str(shared_data_dir), judge=judge).score(["a"] * 5, _references(shared_data_dir))
    assert math.isnan(result["judge_rating"]) and result["judge_unrated"] == 5


def test_judge_endpoint_failure_raises_instead_of_rating(shared_data_dir: Path) -> None:
    from llmp_opencompass.errors import EndpointError

    with ScriptedServer(lambda body: Reply("bad request", status=400)) as server:
        judge = {"model": "j", "base_url": server.base_url, "api_key_env": "LLMP_NO_SUCH_KEY", "max_tokens": 16}
        with pytest.raises(EndpointError, match="HTTP 400"):
            ObserverEvaluator(str(shared_data_dir), judge=judge).score(["a"] * 5, _references(shared_data_dir))
