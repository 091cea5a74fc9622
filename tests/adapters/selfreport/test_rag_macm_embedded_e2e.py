"""``configs/llmp_rag.py`` and ``configs/llmp_macm.py`` through the real ``opencompass`` command
against the embedded model (SmolLM2 on llama.cpp) on loopback, for one character.

MACM runs here with ``LLMP_RETRIEVAL=embedding``: the LLM retrieval reads about 4,000
tokens of memory summaries per question, which takes minutes for 15 questions on a
2-core CPU. LLM retrieval through ``opencompass`` is covered against the scripted oracle
(``test_all_methods_oracle_e2e.py``) and against this model by the chat test."""

from __future__ import annotations

from pathlib import Path

import pytest

from llmp_opencompass.servers.embedded import LocalModelServer
from tests.support.opencompass_run import read_json, run_opencompass, summary_csv, task_logs

pytestmark = pytest.mark.e2e
TYPES = ("cloze", "single_choice", "multiple_choices")


@pytest.mark.parametrize(("method", "calls"), [("rag", 1), ("macm", 3)])
def test_embedded_model_runs_method_end_to_end(
    method: str, calls: int, embedded_server: LocalModelServer, shared_data_dir: Path, tmp_path: Path
) -> None:
    env = {
        "OPENAI_BASE_URL": embedded_server.base_url, "LLMP_MODEL": embedded_server.model,
        "LLMP_DATA_DIR": str(shared_data_dir), "LLMP_CHARACTERS": "Mary Jones", "LLMP_MAX_OUT_LEN": "48",
        "LLMP_AGENT_MAX_TOKENS": "32", "LLMP_INDEX_CACHE_DIR": str(tmp_path / "indexes"),
        "LLMP_RETRIEVAL": "embedding",
    }  # fmt: skip
    run = run_opencompass(f"configs/llmp_{method}.py", tmp_path, env, timeout=2700)
    column = f"{method}-{embedded_server.model}"
    for qtype in TYPES:
        result = read_json(run, "results", column, f"llmp-mary_jones-{qtype}")
        assert len(result["details"]) == 5, task_logs(run)
        assert result["calls_per_question"] == calls and result["rounds_per_question"] == (2 if calls > 1 else 1)
        assert result["tokens_per_question"] > 500  # the persona alone is about 1,000 tokens
        predictions = read_json(run, "predictions", column, f"llmp-mary_jones-{qtype}")
        assert all(p["prediction"].strip() for p in predictions.values())
    summary = summary_csv(run)
    assert set(summary["llmp-mary_jones-total"]) == {column}
    assert float(summary["llmp-calls-per-question"][column]) == calls


def test_embedded_model_paper_protocol_with_repeats(
    embedded_server: LocalModelServer, shared_data_dir: Path, tmp_path: Path
) -> None:
    """The paper protocol (temperature 0.7, upstream option order) with two repeats on the real model:
    every result has its repeats, an interval and its truncated answers counted. The blank method
    keeps the prompts short (a persona and passages take minutes per 30 answers on a 2-core CPU);
    the stimulus and the retrieval are checked against scripted endpoints (test_trust_scripted_e2e)."""
    env = {
        "OPENAI_BASE_URL": embedded_server.base_url, "LLMP_MODEL": embedded_server.model,
        "LLMP_DATA_DIR": str(shared_data_dir), "LLMP_CHARACTERS": "Mary Jones", "LLMP_PROTOCOL": "paper",
        "LLMP_REPEATS": "2", "LLMP_MAX_OUT_LEN": "24", "LLMP_INDEX_CACHE_DIR": str(tmp_path / "indexes"),
    }  # fmt: skip
    run = run_opencompass("configs/llmp_blank.py", tmp_path, env, timeout=2700)
    column = f"blank-{embedded_server.model}"
    truncated = 0
    for qtype in TYPES:
        result = read_json(run, "results", column, f"llmp-mary_jones-{qtype}")
        assert len(result["details"]) == 10 and result["repeats"] == 2, task_logs(run)
        assert result["points_ci95_low"] <= result["points"] <= result["points_ci95_high"]
        flags = [d["truncated"][0] for d in result["details"]]
        reasons = [d["usage"][0]["finish_reason"] for d in result["details"]]
        assert result["truncated"] == sum(flags) == reasons.count("length")
        truncated += result["truncated"]
    assert truncated > 0, "24 tokens cut some of the real model's answers, and they are counted"
    summary = summary_csv(run)
    assert summary["llmp-mary_jones-total (95% CI)"][column].startswith("[")
