"""The Jung test through the real ``opencompass`` command against a scripted loopback endpoint.

A scripted server is used because the test needs exact control of the answers: it
recognises the character from the persona and the statement from the prompt, and says
yes exactly to the statements at the function's true level (Mary Jones, expected tau 1)
or at the mirrored level (Robert Scott, expected tau -1). The true orders here are the
spec's table, independent of the derivation code.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from llmp_opencompass.data.store import HumanSimulacra
from llmp_opencompass.data.traits import TraitCatalog, load_traits
from llmp_opencompass.servers.scripted import Reply, ScriptedServer
from tests.support.opencompass_run import read_json, run_opencompass, summary_csv

pytestmark = pytest.mark.e2e
ORDERS = {
    "Mary Jones": ["Se", "Ti", "Fi", "Ni", "Te", "Si", "Ne", "Fe"],
    "Robert Scott": ["Ne", "Ti", "Si", "Fe", "Se", "Fi", "Te", "Ni"],
}
REVERSED = {"Robert Scott"}


def _respondent(catalog: TraitCatalog):
    def respond(body: dict) -> Reply:
        system = "\n".join(m["content"] for m in body["messages"] if m["role"] == "system")
        user = body["messages"][-1]["content"]
        name = next(n for n in ORDERS if f"You are {n}" in system)
        statement = max((s for s in catalog.statements if f'"{s.text}."' in user), key=lambda s: len(s.text))
        position = ORDERS[name].index(statement.function) + 1
        endorsed = 9 - position if name in REVERSED else position
        return Reply("Yes, that is me." if statement.level == endorsed else "No, not really.")

    return respond


def test_scripted_true_respondent_gets_tau_1_and_reversed_gets_minus_1(shared_data_dir: Path, tmp_path: Path) -> None:
    catalog = load_traits(HumanSimulacra(shared_data_dir))
    env = {
        "LLMP_MODEL": "scripted", "LLMP_DATA_DIR": str(shared_data_dir), "LLMP_METHODS": "prompt",
        "LLMP_CHARACTERS": "Mary Jones,Robert Scott", "LLMP_JUNG_RATIO": "0.1", "LLMP_TASK_WORKERS": "1",
    }  # fmt: skip
    with ScriptedServer(_respondent(catalog)) as server:
        run = run_opencompass("configs/llmp_jung.py", tmp_path, {**env, "OPENAI_BASE_URL": server.base_url})
    assert len(server.requests) == 2 * 64
    mary = read_json(run, "results", "prompt-scripted", "llmp-jung-mary_jones")
    robert = read_json(run, "results", "prompt-scripted", "llmp-jung-robert_scott")
    assert mary["kendall_tau"] == pytest.approx(1.0) and mary["spearman"] == pytest.approx(1.0)
    assert mary["top1_match"] == 1 and mary["unparsed"] == 0 and mary["n_items"] == 64
    assert mary["profile"]["predicted_order"] == ORDERS["Mary Jones"] == mary["profile"]["true_order"]
    assert mary["profile"]["function_scores"]["Se"] == 4 and mary["profile"]["function_scores"]["Fe"] == -4
    assert robert["kendall_tau"] == pytest.approx(-1.0) and robert["top1_match"] == 0
    assert robert["profile"]["predicted_order"] == ORDERS["Robert Scott"][::-1]
    summary = summary_csv(run)
    assert summary["llmp-jung-mary_jones"]["prompt-scripted"] == "1.00"
    assert summary["llmp-jung-robert_scott"]["prompt-scripted"] == "-1.00"
    assert summary["llmp-jung-kendall_tau-mean"]["prompt-scripted"] == "0.00"
    assert summary["llmp-jung-unparsed-total"]["prompt-scripted"] == "0.00"
