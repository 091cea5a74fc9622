"""The real ``opencompass`` command on the self-report configs, against the embedded
SmolLM2 model behind llama.cpp's OpenAI-compatible server on loopback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from llmp_opencompass.servers.embedded import LocalModelServer
from tests.support.opencompass_run import read_json, run_opencompass, summary_csv

pytestmark = pytest.mark.e2e
MAX_POINTS = {"cloze": 10, "single_choice": 10, "multiple_choices": 30}


def _env(server: LocalModelServer, data: Path, characters: str) -> dict[str, str]:
    return {
        "OPENAI_BASE_URL": server.base_url,
        "LLMP_MODEL": server.model,
        "LLMP_DATA_DIR": str(data),
        "LLMP_CHARACTERS": characters,
        "LLMP_MAX_OUT_LEN": "48",
    }


def _check_character(run: Path, model: str, slug: str, question_text: str) -> None:
    total = 0.0
    for qtype, most in MAX_POINTS.items():
        predictions = read_json(run, "predictions", model, f"llmp-{slug}-{qtype}")
        assert len(predictions) == 5
        assert all(isinstance(p["prediction"], str) for p in predictions.values())
        result = read_json(run, "results", model, f"llmp-{slug}-{qtype}")
        assert 0 <= result["points"] <= most and 0 <= result["accuracy"] <= 100
        assert len(result["details"]) == 5
        assert all({"pred", "parsed", "answer", "points"} <= d.keys() for d in result["details"])
        total += result["points"]
    prompts = json.dumps(read_json(run, "predictions", model, f"llmp-{slug}-cloze"))
    assert question_text in prompts
    assert float(summary_csv(run)[f"llmp-{slug}-total"][model]) == pytest.approx(total)


def test_prompt_config_on_embedded_model(
    embedded_server: LocalModelServer, shared_data_dir: Path, tmp_path: Path
) -> None:
    env = _env(embedded_server, shared_data_dir, "Mary Jones")
    run = run_opencompass("configs/llmp_prompt.py", tmp_path, env)
    _check_character(run, "prompt-smollm2", "mary_jones", "What is your name?")
    assert list((run / "results").iterdir()) == [run / "results" / "prompt-smollm2"]


def test_blank_config_on_embedded_model_two_characters(
    embedded_server: LocalModelServer, shared_data_dir: Path, tmp_path: Path
) -> None:
    env = _env(embedded_server, shared_data_dir, "robert_scott, Haley Collins")
    run = run_opencompass("configs/llmp_blank.py", tmp_path, env)
    for slug in ("robert_scott", "haley_collins"):
        _check_character(run, "blank-smollm2", slug, "How old are you?")
    summary = summary_csv(run)
    assert set(summary["llmp-selfreport-mean"]) == {"blank-smollm2"}
    assert "llmp-mary_jones-total" not in summary
