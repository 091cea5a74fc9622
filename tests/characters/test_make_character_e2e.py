"""From nothing to a scored new character, through the user's own commands, with the embedded model.

``character new`` -> ``biography`` -> ``story`` (2 iterations) -> ``questions`` (the TODO items
completed here as a person would) -> ``validate`` -> ``memory build`` -> ``opencompass
configs/llmp_prompt.py`` with ``LLMP_EXTRA_CHARACTERS``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from llmp_opencompass.characters.questionnaire import is_template
from llmp_opencompass.data import HumanSimulacra
from llmp_opencompass.data.records import SCORED_TYPES, slugify
from llmp_opencompass.servers.embedded import LocalModelServer
from llmp_opencompass.simulacra.macm import read_memory_files
from tests.support.opencompass_run import read_json, run_opencompass

pytestmark = pytest.mark.e2e
CLI = Path(sys.executable).with_name("llmp-opencompass")


def _cli(*args: str, env: dict[str, str], ok: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run([str(CLI), *args], env=env, capture_output=True, text=True, timeout=900, check=False)
    if ok:
        assert done.returncode == 0, f"{args}: {done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    return done


def _complete_templates(folder: Path, profile: dict) -> int:
    """Fill every TODO item the way a person would: a question about a story fact, options, answer."""
    completed = 0
    for qtype in ("Single_choice", "Multiple_choices"):
        path = folder / "Questions" / f"{qtype}.json"
        items = json.loads(path.read_text(encoding="utf-8"))
        for item in items:
            if not is_template(item):
                continue
            completed += 1
            if qtype == "Single_choice":
                item["question"] = f"In your story ({completed}), what do you work as?"
                item["options"] = ["A. baker", f"B. {profile['Occupation']}", "C. pilot", "D. dentist"]
                item["answer"] = ["B"]
            else:
                hobbies = profile["Hobbies"].split(", ")
                item["question"] = f"In your story ({completed}), which of these do you do for fun?"
                item["options"] = [f"{letter}. {text}" for letter, text in zip("ABCDEF", [
                    hobbies[0], "fencing", hobbies[1], "chess", "sailing", hobbies[2]], strict=True)]  # fmt: skip
                item["answer"] = ["A", "C", "F"]
        path.write_text(json.dumps(items, indent=4), encoding="utf-8")
    return completed


def test_a_new_character_goes_from_nothing_to_scores(
    embedded_server: LocalModelServer, shared_data_dir: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "made"
    env = {**os.environ, "OPENAI_BASE_URL": embedded_server.base_url, "LLMP_MODEL": embedded_server.model,
           "LLMP_DATA_DIR": str(shared_data_dir), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}  # fmt: skip

    _cli("character", "new", "--out", str(folder), "--seed", "11", "--as-of", "2026-01-01",
         "--set", "occupation=lighthouse keeper", env=env)  # fmt: skip
    profile = json.loads((folder / "profile.json").read_text())
    assert profile["Occupation"] == "lighthouse keeper" and len(profile["Jung_order"]) == 8
    name = profile["Name"]

    _cli("character", "biography", str(folder), "--max-tokens", "400", env=env)
    card = json.loads((folder / "card.json").read_text())
    assert card["Name"] == name and len(card["Content"].split()) > 50
    assert card["Basic_infos"].startswith('""\nName: ' + name)

    story = _cli("character", "story", str(folder), "--iterations", "2", "--max-tokens", "300", "--no-progress",
                 env=env)  # fmt: skip
    assert "2 of 2 iterations done" in story.stdout, story.stdout
    assert sorted(p.name for p in (folder / "story").glob("iteration-*.txt")) == [
        "iteration-000.txt", "iteration-001.txt", "iteration-002.txt"]  # fmt: skip
    review = (folder / "story-review.md").read_text()
    assert "## Iteration 1" in review and "## Iteration 2" in review

    _cli("character", "questions", str(folder), env=env)
    unfinished = _cli("character", "validate", str(folder), "--require", "story,questions", env=env, ok=False)
    assert unfinished.returncode == 1 and "still a TODO template" in unfinished.stdout
    assert _complete_templates(folder, profile) == 5
    _cli("character", "validate", str(folder), "--require", "story,questions", env=env)

    with_folder = {**env, "LLMP_EXTRA_CHARACTERS": str(folder)}
    built = _cli("memory", "build", "--character", name, "--max-tokens", "40", "--workers", "2", "--no-progress",
                 env=with_folder)  # fmt: skip
    paragraphs = len([line for line in (folder / "story.txt").read_text().splitlines() if line.strip()])
    memory = read_memory_files(folder / "Memories", name)
    assert len(memory.entries) == (paragraphs + 1) // 2, built.stdout
    _cli("character", "validate", str(folder), "--require", "story,questions,memory", env=env)
    assert name in HumanSimulacra(shared_data_dir, extra=[folder]).names()

    oc_env = {**with_folder, "LLMP_CHARACTERS": name, "LLMP_MAX_OUT_LEN": "48"}
    run = run_opencompass("configs/llmp_prompt.py", tmp_path / "oc", oc_env)
    model = f"prompt-{embedded_server.model}"
    for qtype in SCORED_TYPES:
        dataset = f"llmp-{slugify(name)}-{qtype.slug}"
        predictions = read_json(run, "predictions", model, dataset)
        assert len(predictions) == 5 and all(isinstance(p["prediction"], str) for p in predictions.values())
        assert all(name in p["gold"] for p in predictions.values())  # the made character's own items
        result = read_json(run, "results", model, dataset)
        assert 0.0 <= result["accuracy"] <= 100.0, result
