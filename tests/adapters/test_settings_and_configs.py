"""Run settings from the environment and the config builder (no opencompass run)."""

from __future__ import annotations

from pathlib import Path

import pytest

from llmp_opencompass.adapters.configs import build, model_abbr
from llmp_opencompass.adapters.settings import RunSettings
from llmp_opencompass.errors import ConfigError, UnknownCharacterError


def _env(data: Path, **extra: str) -> dict[str, str]:
    return {"LLMP_MODEL": "gpt-4o-mini", "LLMP_DATA_DIR": str(data), **extra}


def test_settings_defaults_and_values() -> None:
    settings = RunSettings.from_environment({"LLMP_MODEL": "m", "LLMP_TEMPERATURE": "0.7", "LLMP_SHUFFLE": "off"})
    assert settings.base_url == "https://api.openai.com/v1"
    assert (settings.temperature, settings.shuffle, settings.max_out_len) == (0.7, False, 512)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "LLMP_MODEL is not set"),
        ({"LLMP_MODEL": "m", "LLMP_CHARACTERS": " , "}, "LLMP_CHARACTERS is set but names no character"),
        ({"LLMP_MODEL": "m", "LLMP_TEMPERATURE": "warm"}, "LLMP_TEMPERATURE='warm' is not a valid float"),
        ({"LLMP_MODEL": "m", "LLMP_MAX_OUT_LEN": "0"}, "LLMP_MAX_OUT_LEN='0' must be at least 1"),
        ({"LLMP_MODEL": "m", "LLMP_SHUFFLE": "maybe"}, "use on or off"),
    ],
)
def test_settings_errors_name_the_variable(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        RunSettings.from_environment(env)


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
