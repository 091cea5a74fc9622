"""vLLM, as far as a machine without a GPU can test it: vLLM itself cannot be installed here
(its wheels are CUDA builds), so the drop-in config with OpenCompass's ``VLLMwithChatTemplate``
is loaded and planned by the real ``opencompass --dry-run``, and the ``configs/models/vllm_*``
endpoint presets run the simulacra against a scripted server that answers like vLLM's
OpenAI-compatible server (404 for a model name it does not serve)."""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import pytest
from mmengine.config import Config

from llmp_opencompass.adapters.builder import with_endpoint
from llmp_opencompass.servers.scripted import Reply, ScriptedServer
from tests.conftest import PROJECT_ROOT
from tests.support.opencompass_run import read_json, run_opencompass, summary_csv

CONFIGS = PROJECT_ROOT / "configs"
PRESETS = sorted((CONFIGS / "models").glob("*.py"))
DEFAULT_URL = "http://127.0.0.1:8000/v1"
SERVED = "meta-llama/Llama-2-7b-chat-hf"


@pytest.mark.slow
@pytest.mark.parametrize("preset", PRESETS, ids=[p.stem for p in PRESETS])
def test_every_endpoint_preset_is_a_base_url_and_an_optional_model(preset: Path) -> None:
    endpoint = Config.fromfile(str(preset))["llmp_endpoint"]
    assert endpoint["base_url"] == DEFAULT_URL and set(endpoint) <= {"base_url", "model"}
    env = with_endpoint({"LLMP_MODEL": "from-env"}, endpoint)
    assert env["OPENAI_BASE_URL"] == DEFAULT_URL and env["LLMP_MODEL"] == endpoint.get("model", "from-env")
    assert {p.stem for p in PRESETS} >= {"vllm_generic", "vllm_llama2_7b_chat", "vllm_llama2_13b_chat"}


@pytest.mark.slow
def test_the_vllm_dropin_example_uses_opencompass_vllm_class_on_every_dataset() -> None:
    from opencompass.models import VLLMwithChatTemplate
    from opencompass.utils import build_model_from_cfg

    config = Config.fromfile(str(CONFIGS / "examples" / "llmp_dropin_vllm.py"))
    (model,) = config["models"]
    assert model["type"] is VLLMwithChatTemplate and model["run_cfg"]["num_gpus"] == 1
    assert len(config["datasets"]) == 66 and config["summarizer"]["summary_groups"]
    if importlib.util.find_spec("vllm") is None:  # this machine: building the model names what is missing
        with pytest.raises(AssertionError, match="install VLLM"):
            build_model_from_cfg(model)


@pytest.mark.e2e
def test_opencompass_plans_the_vllm_dropin_example(shared_data_dir: Path, tmp_path: Path) -> None:
    run = run_opencompass("configs/examples/llmp_dropin_vllm.py", tmp_path, {"LLMP_DATA_DIR": str(shared_data_dir)},
                          "--dry-run")  # fmt: skip
    (dumped,) = (run / "configs").glob("*.py")
    config = Config.fromfile(str(dumped))
    assert config["models"][0]["type"].endswith("VLLMwithChatTemplate") and len(config["datasets"]) == 66
    assert "Partitioned into" in (tmp_path / "opencompass.log").read_text()


def _vllm_like(body: dict) -> Reply:
    if body.get("model") != SERVED:  # what vLLM's server answers for a name it does not serve
        error = {"object": "error", "message": f"The model `{body.get('model')}` does not exist.",
                 "type": "NotFoundError", "param": None, "code": 404}  # fmt: skip
        return Reply(status=404, raw_body=json.dumps(error).encode())
    return Reply("The answer is B")


@pytest.mark.e2e
def test_scripted_vllm_server_with_the_vllm_preset_and_example_config(shared_data_dir: Path, tmp_path: Path) -> None:
    configs = tmp_path / "configs"
    (configs / "models").mkdir(parents=True)
    shutil.copy(CONFIGS / "llmp_vllm_example.py", configs)
    preset = (CONFIGS / "models" / "vllm_llama2_7b_chat.py").read_text()
    with ScriptedServer(_vllm_like, model=SERVED) as server:
        assert preset.count(DEFAULT_URL) == 1
        (configs / "models" / "vllm_llama2_7b_chat.py").write_text(preset.replace(DEFAULT_URL, server.base_url))
        env = {"LLMP_DATA_DIR": str(shared_data_dir), "LLMP_CHARACTERS": "Mary Jones",
               "LLMP_INDEX_CACHE_DIR": str(tmp_path / "indexes")}  # fmt: skip
        run = run_opencompass(configs / "llmp_vllm_example.py", tmp_path, env)
    assert server.requests and {body["model"] for body in server.requests} == {SERVED}
    column = "prompt-meta-llama_Llama-2-7b-chat-hf"
    for method in ("blank", "prompt", "rag", "macm"):
        model = column.replace("prompt", method, 1)
        for qtype in ("cloze", "single_choice", "multiple_choices"):
            assert len(read_json(run, "results", model, f"llmp-mary_jones-{qtype}")["details"]) == 5
        assert summary_csv(run)["llmp-mary_jones-total"][model] != "-"
