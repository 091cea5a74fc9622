"""``llmp-opencompass memory build``: argument checks (the build itself: test_memory_e2e.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from llmp_opencompass.cli.main import main


def test_memory_build_refuses_story_without_card(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LLMP_MODEL", "m")
    assert main(["memory", "build", "--character", "Nobody", "--story", str(tmp_path / "s.txt")]) == 2
    assert "give both --story and --card" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "--character NAME"),
        (["--character", "A", "--character", "B", "--out", "x"], "--out is the folder of one character"),
        (["--all", "--slurm"], "--slurm needs the partition: -p PARTITION"),
        (["--character", "A", "--card", "c.json", "--story", "s.txt", "--slurm", "-p", "p"], "one new character"),
    ],
)
def test_memory_build_several_characters_argument_errors(
    args: list[str], message: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LLMP_MODEL", "m")
    assert main(["memory", "build", *args]) == 2
    assert message in capsys.readouterr().err
