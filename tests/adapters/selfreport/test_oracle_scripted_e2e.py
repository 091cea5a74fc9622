"""Scoring through the real ``opencompass`` command against scripted loopback endpoints.

A scripted server is used here because the test needs exact control of the answers:
one that answers every item correctly must get 50/50 for every character with shuffled
options; one that never answers usefully must get 0.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from llmp_opencompass.data.records import QuestionType
from llmp_opencompass.data.store import HumanSimulacra
from llmp_opencompass.servers.scripted import ScriptedServer
from tests.support.opencompass_run import read_json, run_opencompass, summary_csv
from tests.support.oracle import oracle_reply, useless_reply

pytestmark = pytest.mark.e2e
TYPES = ("cloze", "single_choice", "multiple_choices")


def _env(server: ScriptedServer, data: Path, **extra: str) -> dict[str, str]:
    return {"OPENAI_BASE_URL": server.base_url, "LLMP_MODEL": "scripted", "LLMP_DATA_DIR": str(data), **extra}


def test_scripted_oracle_endpoint_scores_50_of_50_for_every_character(shared_data_dir: Path, tmp_path: Path) -> None:
    store = HumanSimulacra(shared_data_dir)
    with ScriptedServer(oracle_reply(store)) as server:
        run = run_opencompass("configs/llmp_prompt.py", tmp_path, _env(server, shared_data_dir))
    assert len(server.requests) == 11 * 15
    summary = summary_csv(run)
    for character in store.characters():
        assert summary[f"llmp-{character.slug}-total"]["prompt-scripted"] == "50.00", character.name
        for qtype in TYPES:
            result = read_json(run, "results", "prompt-scripted", f"llmp-{character.slug}-{qtype}")
            assert result["accuracy"] == 100.0
    assert summary["llmp-selfreport-mean"]["prompt-scripted"] == "50.00"
    moved = []
    for c in store.characters():
        details = read_json(run, "results", "prompt-scripted", f"llmp-{c.slug}-single_choice")["details"]
        upstream = store.questions(c.name, QuestionType.SINGLE_CHOICE)
        pairs = zip(details, upstream, strict=True)
        moved += [detail["answer"] != [a.strip().upper() for a in q.answer] for detail, q in pairs]
    assert len(moved) == 55 and sum(moved) > 20, "the shuffle should move the gold letter of most items"


def test_scripted_useless_endpoint_scores_0(shared_data_dir: Path, tmp_path: Path) -> None:
    env = {"LLMP_CHARACTERS": "Mary Jones,haley_collins,Robert Scott"}
    with ScriptedServer(useless_reply) as server:
        run = run_opencompass("configs/llmp_prompt.py", tmp_path, _env(server, shared_data_dir, **env))
    summary = summary_csv(run)
    for slug in ("mary_jones", "haley_collins", "robert_scott"):
        assert summary[f"llmp-{slug}-total"]["prompt-scripted"] == "0.00"
        for qtype in TYPES:
            result = read_json(run, "results", "prompt-scripted", f"llmp-{slug}-{qtype}")
            assert result["points"] == 0 and len(result["details"]) == 5
