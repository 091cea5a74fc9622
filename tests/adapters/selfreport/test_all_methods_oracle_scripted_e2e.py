"""All four methods through the real ``opencompass`` command against a scripted loopback oracle.

A scripted server is used because the test needs exact control of the answers: the
oracle answers every item correctly (it reads the displayed options), so each method
must score 50/50, and the usage rows must show each method's cost per question.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from llmp_opencompass.data.store import HumanSimulacra
from llmp_opencompass.servers.scripted import Reply, ScriptedServer
from tests.support.opencompass_run import read_json, run_opencompass, summary_csv
from tests.support.oracle import oracle_reply

pytestmark = pytest.mark.e2e
TYPES = ("cloze", "single_choice", "multiple_choices")
COST = {"blank": (1, 1), "prompt": (1, 1), "rag": (1, 1), "macm": (5, 2)}  # calls, rounds per question


def _oracle_with_memory_agent(store: HumanSimulacra) -> Callable[[dict], Reply]:
    oracle = oracle_reply(store)

    def respond(body: dict) -> Reply:
        if "remember" in body["messages"][0]["content"][:40]:  # MACM's memory retrieval
            return Reply('"003", 12')
        if "You are Mary Jones" not in body["messages"][0]["content"]:  # blank: no persona names the character
            body = {**body, "messages": [{"role": "system", "content": "You are Mary Jones"}, *body["messages"]]}
        return oracle(body)

    return respond


def test_scripted_oracle_scores_50_with_every_method_and_reports_costs(shared_data_dir: Path, tmp_path: Path) -> None:
    store = HumanSimulacra(shared_data_dir)
    env = {
        "OPENAI_BASE_URL": "", "LLMP_MODEL": "scripted", "LLMP_DATA_DIR": str(shared_data_dir),
        "LLMP_CHARACTERS": "Mary Jones", "LLMP_INDEX_CACHE_DIR": str(tmp_path / "indexes"),
    }  # fmt: skip
    with ScriptedServer(_oracle_with_memory_agent(store)) as server:
        run = run_opencompass("configs/llmp_all.py", tmp_path, {**env, "OPENAI_BASE_URL": server.base_url})
    assert len(server.requests) == 15 * sum(calls for calls, _ in COST.values())
    summary = summary_csv(run)
    for method, (calls, rounds) in COST.items():
        column = f"{method}-scripted"
        assert summary["llmp-mary_jones-total"][column] == "50.00", method
        assert summary["llmp-calls-per-question"][column] == f"{calls:.2f}", method
        assert summary["llmp-rounds-per-question"][column] == f"{rounds:.2f}", method
        assert float(summary["llmp-tokens-per-question"][column]) == 15.0 * calls  # the server reports 15 per call
        for qtype in TYPES:
            result = read_json(run, "results", column, f"llmp-mary_jones-{qtype}")
            assert result["accuracy"] == 100.0 and result["calls_per_question"] == calls
            predictions = read_json(run, "predictions", column, f"llmp-mary_jones-{qtype}")
            assert all(p["usage"]["calls"] == calls for p in predictions.values())
    # The default TF-IDF retriever builds its index in memory; each query's passages are cached.
    assert len(list(tmp_path.joinpath("indexes", "passages").glob("*.json"))) == 15, "RAG's retrievals were cached"
