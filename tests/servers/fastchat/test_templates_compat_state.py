"""FastChat launcher pieces: template choice, compatibility fixes, exact process stopping."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import psutil
import pydantic

from llmp_opencompass.servers.fastchat import FastChatStack, StackState, choose_conv_template
from llmp_opencompass.servers.fastchat.compat import apply_all
from llmp_opencompass.servers.fastchat.stack import ProcessRecord


def test_template_override_known_names_and_fallback_warning() -> None:
    assert choose_conv_template("/m/x", "x", "vicuna_v1.1").name == "vicuna_v1.1"
    assert choose_conv_template("/models/Llama-2-7b-chat-hf", "Llama-2-7b-chat-hf").name == "llama-2"
    assert choose_conv_template("/cache/smollm2-135m-instruct", "smollm2").name == "qwen-7b-chat"
    unknown = choose_conv_template("/models/mystery-model", "mystery-model")
    assert unknown.name is None and "one_shot" in (unknown.warning or "") and "--conv-template" in unknown.warning


def test_compat_fixes_context_length_and_pydantic_json() -> None:
    apply_all()
    import fastchat.utils as fastchat_utils

    rope_parameters = {"rope_theta": 100000.0, "rope_type": "default"}  # transformers 5: no "factor"
    config = SimpleNamespace(rope_scaling=rope_parameters, max_position_embeddings=8192)
    assert fastchat_utils.get_context_length(config) == 8192
    scaled = SimpleNamespace(rope_scaling={"factor": 2.0}, max_sequence_length=100)
    assert fastchat_utils.get_context_length(scaled) == 200

    class Chunk(pydantic.BaseModel):
        text: str
        extra: str | None = None

    assert Chunk(text="héllo").json(exclude_unset=True, ensure_ascii=False) == '{"text": "héllo"}'


def _sleeper() -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])


def test_down_stops_only_the_recorded_processes(tmp_path: Path) -> None:
    ours, reused = _sleeper(), _sleeper()
    try:
        started = psutil.Process(ours.pid).create_time()
        records = (
            ProcessRecord("worker", ours.pid, started, "w.log"),
            ProcessRecord("api", reused.pid, psutil.Process(reused.pid).create_time() - 100, "a.log"),  # pid reused
        )
        StackState("http://127.0.0.1:1/v1", "m", records).save(tmp_path)
        assert FastChatStack.down(tmp_path) == ["worker"]
        ours.wait(timeout=10)
        time.sleep(0.1)
        assert reused.poll() is None, "a process that merely reuses a recorded pid must survive"
        assert StackState.load(tmp_path) is None and FastChatStack.down(tmp_path) == []
    finally:
        for process in (ours, reused):
            process.kill()
            process.wait()
