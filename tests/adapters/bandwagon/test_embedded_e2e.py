"""The real ``opencompass`` command on ``configs/llmp_bandwagon.py`` for one character, against
the embedded SmolLM2 model behind llama.cpp's OpenAI-compatible server on loopback."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from llmp_opencompass.experiments.bandwagon import METRICS
from llmp_opencompass.servers.embedded import LocalModelServer
from tests.support.opencompass_run import read_json, run_opencompass, summary_csv

pytestmark = pytest.mark.e2e


def test_bandwagon_config_on_embedded_model(
    embedded_server: LocalModelServer, shared_data_dir: Path, tmp_path: Path
) -> None:
    env = {
        "OPENAI_BASE_URL": embedded_server.base_url, "LLMP_MODEL": embedded_server.model,
        "LLMP_DATA_DIR": str(shared_data_dir), "LLMP_CHARACTERS": "Mary Jones", "LLMP_METHODS": "blank",
        "LLMP_MAX_OUT_LEN": "24",
    }  # fmt: skip
    run = run_opencompass("configs/llmp_bandwagon.py", tmp_path, env)
    model = f"blank-{embedded_server.model}"
    for condition in ("group", "control"):
        abbr = f"llmp-bandwagon-mary_jones-{condition}"
        (session,) = read_json(run, "predictions", model, abbr).values()
        assert len(session["prediction"]) == 18 and all(isinstance(p, str) for p in session["prediction"])
        result = read_json(run, "results", model, abbr)
        interval = ["critical_group_rate_ci95_low", "critical_group_rate_ci95_high"]
        assert [m for m in result if m != "details"] == [*METRICS, *interval]
        low, high = (result[k] for k in interval)
        rate = result["critical_group_rate"]
        assert all(math.isnan(v) for v in (low, high, rate)) or low <= rate <= high
        for rate in ("critical_group_rate", "critical_wrong_rate", "neutral_correct_rate", "conformed_at_least_once"):
            assert math.isnan(result[rate]) or 0 <= result[rate] <= 100, rate
        assert result["unparsed"] + result["critical_answered"] + result["neutral_answered"] == 18
        (trials,) = result["details"][0]["trials"]
        assert [t["trial"] for t in trials] == list(range(1, 19))
        assert [t["reply"] for t in trials] == session["prediction"]
    assert model in summary_csv(run)["llmp-bandwagon-group-conformity"]
