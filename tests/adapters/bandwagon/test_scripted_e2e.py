"""The bandwagon through the real ``opencompass`` command against a scripted loopback subject.

A scripted server is used because the test needs exact control of the answers. It
reads the trial from the last user message: the ``prompt`` method's subject (its
system message holds the persona) always follows the group when there is one and is
right otherwise; the ``blank`` subject is always right. So ``prompt`` must score
``critical_group_rate`` 100 under group pressure with every neutral trial correct,
and ``blank`` 0. The server also checks that every session is one true multi-turn
conversation carrying the subject's earlier answers, with the session's seed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest

from llmp_opencompass.experiments.bandwagon import session_seed
from llmp_opencompass.servers.scripted import Reply, ScriptedServer
from tests.support.opencompass_run import read_json, run_opencompass, summary_csv

pytestmark = pytest.mark.e2e
_LENGTHS = re.compile(r"Standard line: ([\d.]+) inches\. Line 1: ([\d.]+) inches\. Line 2: ([\d.]+) inches\. "
                      r"Line 3: ([\d.]+) inches")  # fmt: skip
_GROUP = re.compile(r"said, one after another: line (\d)")


def _subject(body: dict) -> Reply:
    messages = body["messages"]
    trial = messages[-1]["content"]
    standard, *lines = _LENGTHS.search(trial).groups()
    correct = lines.index(standard) + 1
    round_number = sum(m["role"] == "user" for m in messages)
    group = _GROUP.search(trial)
    if messages[0]["content"].startswith("You are ") and group:  # prompt method: the conformist
        return Reply(f"Round {round_number}. Everyone said line {group[1]}, so I'll say line {group[1]} too.")
    return Reply(f"Round {round_number}: I think line {correct} matches the standard.")


def _check_multi_turn(requests: list[dict]) -> None:
    sessions: dict[tuple[str, int], list[dict]] = defaultdict(list)
    for body in requests:
        sessions[(body["messages"][0]["content"], body["seed"])].append(body)
    assert len(sessions) == 2 * 2 * 2  # methods x conditions x sessions
    for bodies in sessions.values():
        assert len(bodies) == 18
        for k, body in enumerate(bodies):
            roles = [m["role"] for m in body["messages"]]
            assert roles == ["system"] + ["user", "assistant"] * k + ["user"]
            earlier = [m["content"] for m in body["messages"] if m["role"] == "assistant"]
            assert earlier == [_subject({"messages": b["messages"]}).content for b in bodies[:k]]


def test_scripted_conformist_scores_100_and_independent_subject_0(shared_data_dir: Path, tmp_path: Path) -> None:
    env = {
        "LLMP_MODEL": "scripted", "LLMP_DATA_DIR": str(shared_data_dir), "LLMP_CHARACTERS": "Mary Jones",
        "LLMP_METHODS": "blank,prompt", "LLMP_TEMPERATURE": "0.5", "LLMP_BANDWAGON_SESSIONS": "2",
    }  # fmt: skip
    with ScriptedServer(_subject) as server:
        run = run_opencompass("configs/llmp_bandwagon.py", tmp_path, {**env, "OPENAI_BASE_URL": server.base_url})
    assert len(server.requests) == 2 * 2 * 2 * 18
    _check_multi_turn(server.requests)
    seeds = {body["seed"] for body in server.requests}
    assert seeds == {session_seed("Mary Jones", c, i) for c in ("group", "control") for i in (0, 1)}

    expected = {  # (model, condition): critical_group_rate
        ("prompt-scripted", "group"): 100.0, ("prompt-scripted", "control"): 0.0,
        ("blank-scripted", "group"): 0.0, ("blank-scripted", "control"): 0.0,
    }  # fmt: skip
    for (model, condition), rate in expected.items():
        result = read_json(run, "results", model, f"llmp-bandwagon-mary_jones-{condition}")
        assert result["critical_group_rate"] == rate, (model, condition)
        assert result["neutral_correct_rate"] == 100.0 and result["unparsed"] == 0 and result["sessions"] == 2
        assert result["conformed_at_least_once"] == rate
        assert len(result["details"]) == 2 and len(result["details"][0]["trials"][0]) == 18
        predictions = read_json(run, "predictions", model, f"llmp-bandwagon-mary_jones-{condition}")
        assert all(len(p["prediction"]) == 18 and len(p["usage"]) == 18 for p in predictions.values())

    summary = summary_csv(run)
    conformity = summary["llmp-bandwagon-group-conformity"]
    assert (conformity["prompt-scripted"], conformity["blank-scripted"], conformity["human (Asch)"]) == (
        "100.00", "0.00", "32.00",
    )  # fmt: skip
    assert summary["llmp-bandwagon-control-conformity"]["prompt-scripted"] == "0.00"
    assert summary["llmp-bandwagon-group-conformed-once"]["human (Asch)"] == "75.00"
    assert summary["llmp-bandwagon-mary_jones-group"]["prompt-scripted"] == "100.00"
