"""The bandwagon config builder, dataset rows and evaluator (no opencompass run)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from llmp_opencompass.adapters.bandwagon.builder import build
from llmp_opencompass.adapters.bandwagon.dataset import BandwagonDataset
from llmp_opencompass.adapters.bandwagon.evaluator import BandwagonEvaluator
from llmp_opencompass.errors import ConfigError
from llmp_opencompass.experiments.bandwagon import METRICS, load_trials, session_seed
from llmp_opencompass.simulacra import METHODS

TRIALS = load_trials()


def _env(data: Path, **extra: str) -> dict[str, str]:
    return {"LLMP_MODEL": "gpt-4o-mini", "LLMP_DATA_DIR": str(data), "LLMP_CHARACTERS": "Mary Jones", **extra}


def test_build_has_two_conditions_per_character_and_one_model_per_method(shared_data_dir: Path) -> None:
    built = build(environ=_env(shared_data_dir, LLMP_CHARACTERS="Mary Jones,kevin_kelly"))
    assert [d["abbr"] for d in built["datasets"]] == [
        "llmp-bandwagon-mary_jones-group", "llmp-bandwagon-mary_jones-control",
        "llmp-bandwagon-kevin_kelly-group", "llmp-bandwagon-kevin_kelly-control",
    ]  # fmt: skip
    assert {m["abbr"] for m in built["models"]} == {f"{m}-gpt-4o-mini" for m in METHODS}
    first = built["model_dataset_combinations"][0]
    assert {m["character"] for m in first["models"]} == {"Mary Jones"}
    assert [d["condition"] for d in first["datasets"]] == ["group", "control"]
    rows = [row for row, _ in built["summarizer"]["dataset_abbrs"]]
    assert rows[:2] == ["llmp-bandwagon-group-conformity", "llmp-bandwagon-control-conformity"]
    assert built["summarizer"]["human"]["llmp-bandwagon-group-conformity"] == "32.00"


def test_methods_come_from_llmp_methods(shared_data_dir: Path) -> None:
    built = build(environ=_env(shared_data_dir, LLMP_METHODS="prompt, macm"))
    assert [m["abbr"] for m in built["models"]] == ["prompt-gpt-4o-mini", "macm-gpt-4o-mini"]
    with pytest.raises(ConfigError, match="unknown simulacrum method 'jury'"):
        build(environ=_env(shared_data_dir, LLMP_METHODS="prompt,jury"))


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"LLMP_BANDWAGON_SESSIONS": "3"}, "would repeat one deterministic session"),
        ({"LLMP_BANDWAGON_SESSIONS": "0"}, "must be at least 1"),
        ({"LLMP_BANDWAGON_SESSIONS": "two"}, "is not a whole number"),
    ],
)
def test_session_settings_are_checked(shared_data_dir: Path, extra: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        build(environ=_env(shared_data_dir, **extra))


def test_sessions_at_a_temperature_above_zero(shared_data_dir: Path) -> None:
    built = build(environ=_env(shared_data_dir, LLMP_BANDWAGON_SESSIONS="3", LLMP_TEMPERATURE="0.7"))
    assert all(d["sessions"] == 3 for d in built["datasets"])


def test_dataset_rows_are_sessions_with_their_own_seed() -> None:
    rows = BandwagonDataset.load(character="Mary Jones", condition="control", sessions=2)
    assert len(rows) == 2
    assert rows[1]["seed"] == session_seed("Mary Jones", "control", 1) != rows[0]["seed"]
    chat = rows[0]["chat"]
    assert [m["role"] for m in chat] == ["system"] + ["user", "assistant"] * 18
    assert all(m["content"] == "" for m in chat if m["role"] == "assistant")
    assert json.loads(rows[0]["reference"])["trials"][2] == TRIALS[2].to_dict()


def _reference(session: int = 0) -> str:
    return json.dumps({"condition": "group", "session": session, "seed": 7, "trials": [t.to_dict() for t in TRIALS]})


def test_evaluator_scores_sessions_with_per_trial_details() -> None:
    follower = [f"Like everyone, line {t.group}." for t in TRIALS]
    silent = ["..."] * 18
    result = BandwagonEvaluator().score([follower, silent], [_reference(0), _reference(1)])
    assert list(result)[: len(METRICS)] == list(METRICS)
    assert result["critical_group_rate"] == 100.0 and result["conformed_at_least_once"] == 50.0
    assert result["unparsed"] == 18 and result["sessions"] == 2
    first, second = result["details"]
    assert first["critical_group_rate"] == 100.0 and math.isnan(second["critical_group_rate"])
    trial = first["trials"][2]
    assert (trial["trial"], trial["group_line"], trial["parsed"], trial["conformed"]) == (3, 1, 1, True)


def test_evaluator_refuses_a_session_with_missing_replies() -> None:
    with pytest.raises(ValueError, match="17 replies for 18 trials"):
        BandwagonEvaluator().score([["line 1"] * 17], [_reference()])
