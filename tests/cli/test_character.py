"""``llmp-opencompass character`` in-process: the offline steps, and clear errors for bad input.

The LLM steps (biography, story) run against the embedded model in
``test_make_character_e2e.py``; here they are checked to refuse folders missing an earlier step.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from llmp_opencompass.cli.main import main


@pytest.fixture(autouse=True)
def _data(shared_data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LLMP_DATA_DIR", str(shared_data_dir))
    monkeypatch.setenv("LLMP_MODEL", "unused")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")


def test_new_draws_a_seeded_profile_and_fixes_what_is_set(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    args = ["character", "new", "--seed", "3", "--as-of", "2026-01-01", "--set", "occupation=beekeeper"]
    assert main([*args, "--out", str(tmp_path / "a")]) == 0
    assert main([*args, "--out", str(tmp_path / "b")]) == 0
    a, b = (json.loads((tmp_path / d / "profile.json").read_text()) for d in "ab")
    assert a == b and a["Occupation"] == "beekeeper" and a["Seed"] == 3
    assert "next: llmp-opencompass character biography" in capsys.readouterr().out


def test_new_refuses_to_overwrite_and_names_bad_keys(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["character", "new", "--out", str(tmp_path)]) == 0
    assert main(["character", "new", "--out", str(tmp_path)]) == 2
    assert "profile.json exists; pass --force" in capsys.readouterr().err
    assert main(["character", "new", "--out", str(tmp_path / "x"), "--set", "colour=red"]) == 2
    err = capsys.readouterr().err
    assert "unknown attribute 'colour'" in err and "occupation" in err
    assert not (tmp_path / "x" / "profile.json").exists()


def test_steps_out_of_order_name_the_missing_step(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["character", "biography", str(tmp_path)]) == 2
    assert "draw a profile first: llmp-opencompass character new --out" in capsys.readouterr().err
    assert main(["character", "story", str(tmp_path), "--iterations", "1"]) == 2
    assert "write the biography first: llmp-opencompass character biography" in capsys.readouterr().err
    assert main(["character", "questions", str(tmp_path)]) == 2
    assert "profile.json is missing" in capsys.readouterr().err


def test_questions_write_the_questionnaire_and_validate_flags_the_templates(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    assert main(["character", "new", "--out", str(tmp_path), "--seed", "5"]) == 0
    assert main(["character", "questions", str(tmp_path)]) == 0
    cloze = json.loads((tmp_path / "Questions" / "Cloze.json").read_text())
    profile = json.loads((tmp_path / "profile.json").read_text())
    assert cloze[0]["answer"] == [profile["Name"]]
    assert main(["character", "questions", str(tmp_path)]) == 2  # would discard completed items
    assert "pass --force" in capsys.readouterr().err
    assert main(["character", "validate", str(tmp_path), "--require", "questions"]) == 1
    out = capsys.readouterr().out
    assert "card.json" in out and "character biography" in out  # no card yet: the step that makes it
    assert "still a TODO template" in out
