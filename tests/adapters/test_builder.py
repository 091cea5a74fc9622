"""The self-report config builder (no opencompass run)."""

from __future__ import annotations

from pathlib import Path

import pytest

from llmp_opencompass.adapters.selfreport.builder import build
from llmp_opencompass.errors import ConfigError, UnknownCharacterError
from llmp_opencompass.names import model_abbr
from tests.conftest import PROJECT_ROOT


def _env(data: Path, **extra: str) -> dict[str, str]:
    return {"LLMP_MODEL": "gpt-4o-mini", "LLMP_DATA_DIR": str(data), **extra}


def test_build_pairs_each_character_model_with_its_datasets(shared_data_dir: Path) -> None:
    built = build(["blank", "prompt"], _env(shared_data_dir, LLMP_CHARACTERS="Mary Jones,kevin_kelly"))
    assert [d["abbr"] for d in built["datasets"]] == [
        f"llmp-{s}-{t}" for s in ("mary_jones", "kevin_kelly") for t in ("cloze", "single_choice", "multiple_choices")
    ]
    assert {m["abbr"] for m in built["models"]} == {"blank-gpt-4o-mini", "prompt-gpt-4o-mini"}
    for comb in built["model_dataset_combinations"]:
        (character,) = {m["character"] for m in comb["models"]}
        assert all(d["character"] == character for d in comb["datasets"])
    assert all(isinstance(m["type"], str) and "." in m["type"] for m in built["models"])
    assert "OPENAI_API_KEY" not in str(built).replace("api_key_env': 'OPENAI_API_KEY", "")


def test_build_all_characters_by_default(shared_data_dir: Path) -> None:
    built = build("prompt", _env(shared_data_dir))
    assert len(built["models"]) == 11 and len(built["datasets"]) == 33
    rows = [row[0] for row in built["summarizer"]["dataset_abbrs"]]
    assert rows[0] == "llmp-selfreport-mean" and "llmp-marsh_zhaleh-total" in rows


def test_unknown_character_lists_valid_names(shared_data_dir: Path) -> None:
    with pytest.raises(UnknownCharacterError, match="Mary Jones") as info:
        build("prompt", _env(shared_data_dir, LLMP_CHARACTERS="Mary Jone"))
    assert "Robert Scott" in str(info.value)


def test_unknown_method_is_a_config_error(shared_data_dir: Path) -> None:
    with pytest.raises(ConfigError, match="valid methods"):
        build("psychic", _env(shared_data_dir))


def test_model_abbr_is_path_safe() -> None:
    assert model_abbr("prompt", "meta-llama/Llama-2-7b-chat-hf") == "prompt-meta-llama_Llama-2-7b-chat-hf"


def test_build_passes_the_endpoint_slots_and_the_progress_runner_on(shared_data_dir: Path, tmp_path: Path) -> None:
    env = _env(shared_data_dir, LLMP_CHARACTERS="Mary Jones", LLMP_ENDPOINT_SLOTS="1",
               LLMP_PROGRESS_INTERVAL="5", XDG_RUNTIME_DIR=str(tmp_path))  # fmt: skip
    built = build("prompt", env)
    connection = built["models"][0]["connection"]
    assert connection["endpoint_slots"] == 1 and connection["slot_dir"].startswith(str(tmp_path))
    runner = built["infer"]["runner"]
    assert runner["type"].endswith("progress_runner.ProgressLocalRunner") and runner["progress_interval"] == 5.0
    assert built["eval"]["runner"]["type"] == "llmp_opencompass.adapters.runner.InProcessRunner"
    quiet = build("prompt", _env(shared_data_dir, LLMP_CHARACTERS="Mary Jones", LLMP_PROGRESS_INTERVAL="0"))
    assert quiet["infer"]["runner"]["type"] == "opencompass.runners.LocalRunner"
    assert quiet["models"][0]["connection"]["endpoint_slots"] is None
    default = build("prompt", _env(shared_data_dir, LLMP_CHARACTERS="Mary Jones"))["infer"]["runner"]
    assert default["type"].endswith("ProgressLocalRunner") and "progress_interval" not in default  # --slurm safe
@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "NaN"])
def test_non_finite_temperature_fails_the_real_config_parse(
    value: str, shared_data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before, nan passed validation, was dumped into the config as ``nan`` and crashed every task
    with ``NameError: name 'nan' is not defined``."""
    from mmengine.config import Config

    for name, setting in _env(shared_data_dir, LLMP_CHARACTERS="Mary Jones", LLMP_TEMPERATURE=value).items():
        monkeypatch.setenv(name, setting)
    with pytest.raises(ConfigError, match=f"LLMP_TEMPERATURE='{value}' must be a finite number"):
        Config.fromfile(str(PROJECT_ROOT / "configs" / "llmp_prompt.py"))
