"""Run settings of the config builders, read from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from llmp_opencompass.errors import ConfigError
from llmp_opencompass.settings.run import RunSettings


def test_settings_defaults_and_values() -> None:
    settings = RunSettings.from_environment({"LLMP_MODEL": "m", "LLMP_TEMPERATURE": "0.7", "LLMP_SHUFFLE": "off"})
    assert settings.base_url == "https://api.openai.com/v1"
    assert (settings.temperature, settings.shuffle, settings.max_out_len) == (0.7, False, 512)
    assert settings.progress_interval == 20.0
    quiet = RunSettings.from_environment({"LLMP_MODEL": "m", "LLMP_PROGRESS_INTERVAL": "0"})
    assert quiet.progress_interval == 0.0


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "LLMP_MODEL is not set"),
        ({"LLMP_MODEL": "m", "LLMP_CHARACTERS": " , "}, "LLMP_CHARACTERS is set but names no character"),
        ({"LLMP_MODEL": "m", "LLMP_TEMPERATURE": "warm"}, "LLMP_TEMPERATURE='warm' is not a number"),
        ({"LLMP_MODEL": "m", "LLMP_MAX_OUT_LEN": "0"}, "LLMP_MAX_OUT_LEN='0' must be at least 1"),
        ({"LLMP_MODEL": "m", "LLMP_SHUFFLE": "maybe"}, "use on or off"),
        ({"LLMP_MODEL": "m", "LLMP_PROGRESS_INTERVAL": "-1"}, "LLMP_PROGRESS_INTERVAL='-1' must be at least 0"),
        ({"LLMP_MODEL": "m", "LLMP_ENDPOINT_SLOTS": "0"}, "LLMP_ENDPOINT_SLOTS='0' must be at least 1"),
    ],
)
def test_settings_errors_name_the_variable(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        RunSettings.from_environment(env)


def test_settings_read_method_options_and_agent_endpoint(tmp_path: Path) -> None:
    env = {
        "LLMP_MODEL": "answerer", "OPENAI_BASE_URL": "http://a/v1", "LLMP_AGENT_MODEL": "agent",
        "LLMP_AGENT_BASE_URL": "http://b/v1", "LLMP_RETRIEVAL": "Embedding", "LLMP_MEMORY_K": "3",
        "LLMP_RAG_K": "5", "LLMP_CHUNK_SIZE": "256", "LLMP_CHUNK_OVERLAP": "16", "LLMP_CACHE_DIR": str(tmp_path),
    }  # fmt: skip
    settings = RunSettings.from_environment(env)
    options = settings.options
    assert (options.retrieval, options.memory_k, options.rag_k) == ("embedding", 3, 5)
    assert (options.chunking.size, options.chunking.overlap) == (256, 16)
    assert options.index_cache_dir == tmp_path / "indexes" and options.embedding_base_url == "http://a/v1"
    assert (settings.agent_model, settings.agent_base_url) == ("agent", "http://b/v1")


def test_settings_refuse_bad_method_options() -> None:
    for env, message in (({"LLMP_RETRIEVAL": "psychic"}, "valid: llm, embedding"),
                         ({"LLMP_CHUNK_SIZE": "32", "LLMP_CHUNK_OVERLAP": "32"}, "smaller than LLMP_CHUNK_SIZE"),
                         ({"LLMP_MEMORY_K": "0"}, "LLMP_MEMORY_K")):  # fmt: skip
        with pytest.raises(ConfigError, match=message):
            RunSettings.from_environment({"LLMP_MODEL": "m", **env})
