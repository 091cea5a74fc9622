"""The observer-report configs (Jung test and Open-Ended answers) through the real
``opencompass`` command, against the embedded SmolLM2 model behind llama.cpp's server on
loopback (as simulacrum and, for the Open-Ended answers, also as judge)."""

from __future__ import annotations

import csv
import math
import subprocess
import sys
from pathlib import Path

import pytest

from llmp_opencompass.servers.embedded import LocalModelServer
from tests.support.opencompass_run import read_json, run_opencompass, summary_csv

pytestmark = pytest.mark.e2e


def _env(server: LocalModelServer, data: Path, max_out_len: int) -> dict[str, str]:
    return {
        "OPENAI_BASE_URL": server.base_url, "LLMP_MODEL": server.model, "LLMP_DATA_DIR": str(data),
        "LLMP_CHARACTERS": "Mary Jones", "LLMP_METHODS": "prompt", "LLMP_MAX_OUT_LEN": str(max_out_len),
        "LLMP_TASK_WORKERS": "1",
    }  # fmt: skip


def test_jung_config_on_embedded_model(
    embedded_server: LocalModelServer, shared_data_dir: Path, tmp_path: Path
) -> None:
    env = {**_env(embedded_server, shared_data_dir, 16), "LLMP_JUNG_RATIO": "0.1"}
    run = run_opencompass("configs/llmp_jung.py", tmp_path, env)
    model = f"prompt-{embedded_server.model}"
    assert len(read_json(run, "predictions", model, "llmp-jung-mary_jones")) == 64
    result = read_json(run, "results", model, "llmp-jung-mary_jones")
    assert result["n_items"] == 64 and result["answered"] + result["unparsed"] == 64
    assert math.isnan(result["kendall_tau"]) or -1 <= result["kendall_tau"] <= 1
    assert result["profile"]["true_order"] == ["Se", "Ti", "Fi", "Ni", "Te", "Si", "Ne", "Fe"]
    assert sorted(result["profile"]["predicted_order"]) == sorted(result["profile"]["true_order"])
    assert {d["parsed"][0] for d in result["details"]} <= {"yes", "no", "unparsed"}
    assert model in summary_csv(run)["llmp-jung-mary_jones"]


def test_observer_config_with_judge_on_embedded_model(
    embedded_server: LocalModelServer, shared_data_dir: Path, tmp_path: Path
) -> None:
    env = {
        **_env(embedded_server, shared_data_dir, 32),
        "LLMP_CHARACTERS": "Mary Jones,Sara Ochoa",
        "LLMP_JUDGE_MODEL": embedded_server.model,
        "LLMP_JUDGE_MAX_TOKENS": "24",
    }
    run = run_opencompass("configs/llmp_observer.py", tmp_path, env)
    model = f"prompt-{embedded_server.model}"
    result = read_json(run, "results", model, "llmp-observer-mary_jones")
    assert result["n_answers"] + result["n_empty"] == 5
    assert result["judge_rated"] + result["judge_unrated"] == 5
    assert math.isnan(result["judge_rating"]) or 1 <= result["judge_rating"] <= 5
    assert result["judge"]["model"] == embedded_server.model and result["judge"]["template"] == "observer_judge"
    assert Path(result["csv_path"]).is_file()
    assert not (run / "results" / model / "llmp-observer-sara_ochoa.json").exists()
    summary = summary_csv(run)
    assert set(summary["llmp-observer-sara_ochoa-unavailable"].values()) == {"-"}
    out = tmp_path / "answers.csv"
    cli = Path(sys.executable).with_name("llmp-opencompass")
    done = subprocess.run([str(cli), "observer", "export", str(tmp_path / "out"), "--out", str(out)],
                          capture_output=True, text=True, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    with out.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 5 and {r["character"] for r in rows} == {"Mary Jones"} and rows[0]["rating"] == ""
