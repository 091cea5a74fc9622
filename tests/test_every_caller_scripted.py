"""Every caller of an endpoint goes through ``llm.connect`` with the documented variables: the
simulacrum model of the configs, ``chat``, ``memory build``, ``character biography`` and the
observer's LLM judge each make exactly ``LLMP_RETRIES`` attempts, cap a ``Retry-After`` at
``LLMP_RETRY_MAX_WAIT`` and give up a hanging attempt after ``LLMP_TIMEOUT``; the hints name a
way to resume that the caller has (``memory build`` has no ``-r``)."""

from __future__ import annotations

import io
import json
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from llmp_opencompass.adapters.model import SimulacrumModel
from llmp_opencompass.adapters.observer.builder import build as build_observer
from llmp_opencompass.adapters.observer.evaluator import ObserverEvaluator
from llmp_opencompass.adapters.selfreport.builder import build as build_selfreport
from llmp_opencompass.cli.main import main
from llmp_opencompass.errors import EndpointError
from llmp_opencompass.servers.scripted import Reply, ScriptedServer

FAULTS = {
    # 429 asking for 30 s: only LLMP_RETRY_MAX_WAIT=0.2 keeps this test fast
    "retry_after_30s": (Reply(status=429, headers={"Retry-After": "30"}), {"LLMP_RETRY_MAX_WAIT": "0.2"}),
    # an attempt that hangs 3 s: only LLMP_TIMEOUT=0.3 keeps this test fast
    "hangs_3s": (Reply("late", delay=3.0), {"LLMP_TIMEOUT": "0.3", "LLMP_RETRY_MAX_WAIT": "0.05"}),
}


def _simulacrum_model(env: dict[str, str], tmp_path: Path) -> str:
    model = build_selfreport("prompt", env)["models"][0]
    config = {k: v for k, v in model.items() if k not in ("type", "abbr", "run_cfg")}
    with pytest.raises(EndpointError) as info:
        SimulacrumModel(**config).generate(["How old are you?"], max_out_len=16)
    return str(info.value)


def _judge(env: dict[str, str], tmp_path: Path) -> str:
    dataset = build_observer("prompt", {**env, "LLMP_JUDGE_MODEL": "scripted"})["datasets"][0]
    evaluator = dataset["eval_cfg"]["evaluator"]
    judge = ObserverEvaluator(**{k: v for k, v in evaluator.items() if k != "type"})
    reference = json.dumps({"character": "Mary Jones", "number": 1, "scenario": "A friend needs help moving."})
    with pytest.raises(EndpointError) as info:
        judge.score(["I would help."], [reference])
    return str(info.value)


def _cli(*args: str) -> Callable[[dict[str, str], Path], str]:
    def run(env: dict[str, str], tmp_path: Path) -> str:
        capture = io.StringIO()
        old_err, sys.stderr = sys.stderr, capture
        try:
            code = main([a.format(tmp=tmp_path) for a in args])
        finally:
            sys.stderr = old_err
        assert code == 2, capture.getvalue()
        return capture.getvalue()

    return run


def _biography(env: dict[str, str], tmp_path: Path) -> str:
    assert main(["character", "new", "--out", str(tmp_path / "nora")]) == 0
    return _cli("character", "biography", "{tmp}/nora", "--no-cache")(env, tmp_path)


CALLERS = {
    "simulacrum_model": _simulacrum_model,
    "chat": _cli("chat", "--character", "Mary Jones", "--method", "prompt", "--no-cache"),
    "memory_build": _cli(
        "memory", "build", "--character", "Mary Jones", "--out", "{tmp}/mem", "--workers", "1", "--no-progress",
        "--no-cache",
    ),
    "character_biography": _biography,
    "observer_judge": _judge,
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
@pytest.mark.parametrize("caller", sorted(CALLERS))
def test_scripted_every_caller_honours_the_connection_variables(
    caller: str, fault: str, shared_data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reply, knobs = FAULTS[fault]
    with ScriptedServer(lambda body: reply) as server:
        env = {"OPENAI_BASE_URL": server.base_url, "LLMP_MODEL": "scripted", "LLMP_DATA_DIR": str(shared_data_dir),
               "LLMP_CHARACTERS": "Mary Jones", "LLMP_CACHE": "off", "LLMP_RETRIES": "2", **knobs}  # fmt: skip
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        monkeypatch.setattr(sys, "stdin", io.StringIO("Hello, how old are you?\n"))
        started = time.monotonic()
        message = CALLERS[caller](env, tmp_path)
        elapsed = time.monotonic() - started
    attempts = Counter(json.dumps(body, sort_keys=True) for body in server.requests)
    assert attempts and set(attempts.values()) == {2}, f"{caller}: attempts per call {attempts.values()}, not 2"
    assert elapsed < 10, f"{caller} took {elapsed:.1f} s: a knob was not honoured"
    assert "giving up after 2 attempts" in message and server.base_url in message
    assert " -r" not in message or caller == "simulacrum_model"
    if caller == "memory_build":
        assert "run the same command again to finish the memory" in message
