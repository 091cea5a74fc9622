"""A scripted ``llmp-opencompass chat`` session with the embedded model: send lines, read replies."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from llmp_opencompass.servers.embedded import LocalModelServer

pytestmark = pytest.mark.e2e
CLI = Path(sys.executable).with_name("llmp-opencompass")


def test_macm_chat_session_replies_line_by_line_and_exits(
    embedded_server: LocalModelServer, shared_data_dir: Path
) -> None:
    env = {
        **os.environ, "OPENAI_BASE_URL": embedded_server.base_url, "LLMP_MODEL": embedded_server.model,
        "LLMP_DATA_DIR": str(shared_data_dir),
    }  # fmt: skip
    command = [str(CLI), "chat", "--character", "Mary Jones", "--method", "macm", "--max-tokens", "24"]
    with subprocess.Popen(
        command, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as process:
        assert process.stdin and process.stdout and process.stderr
        replies = []
        for line in ("Hi! What is your name?", "What do you do for a living?"):
            process.stdin.write(line + "\n")
            process.stdin.flush()
            replies.append(process.stdout.readline())
        process.stdin.write("/exit\n")
        process.stdin.flush()
        assert process.wait(timeout=300) == 0, process.stderr.read()[-3000:]
        notices = process.stderr.read()
    assert all(r.startswith("Mary Jones: ") and len(r.strip()) > len("Mary Jones:") for r in replies), replies
    assert "Bye. 10 calls" in notices  # 5 per turn: 2 memory pages, thinking, emotion, answer
