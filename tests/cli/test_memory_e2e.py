"""``llmp-opencompass memory build`` for a new character (card + short story) against the embedded model."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from llmp_opencompass.servers.embedded import LocalModelServer
from llmp_opencompass.simulacra.macm import read_memory_files

pytestmark = pytest.mark.e2e
CLI = Path(sys.executable).with_name("llmp-opencompass")
STORY = """Mary Jones was born in East Town in the summer of 1994.
Her parents filled their small apartment with stories and laughter.
At twelve she climbed her first cliff with her father and never wanted to stop.
She now plants seedlings as a forestry worker, her dog Rex at her side.
"""


def test_memory_build_for_a_new_character_with_the_embedded_model(
    embedded_server: LocalModelServer, shared_data_dir: Path, tmp_path: Path
) -> None:
    cards = json.loads((shared_data_dir / "LLMP/Characters/character_introductions.json").read_text())
    (tmp_path / "card.json").write_text(json.dumps(next(c for c in cards if c["Name"] == "Mary Jones")))
    (tmp_path / "story.txt").write_text(STORY)
    env = {**os.environ, "OPENAI_BASE_URL": embedded_server.base_url, "LLMP_MODEL": embedded_server.model}
    files = ["--story", str(tmp_path / "story.txt"), "--card", str(tmp_path / "card.json")]
    command = [str(CLI), "memory", "build", "--character", "Mary Jones", *files,
               "--out", str(tmp_path / "memory"), "--max-tokens", "40"]  # fmt: skip
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "wrote 2 memories of Mary Jones" in done.stdout and "(2 built, 0 resumed; 8 calls" in done.stdout
    memory = read_memory_files(tmp_path / "memory", "Mary Jones")
    assert [e.key for e in memory.entries] == ["001", "002"]
    assert all(e.summary and e.content and e.thinking and e.emotion for e in memory.entries)
