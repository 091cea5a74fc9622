"""SimulacrumModel rejects wrong option types with an error naming the option."""

from __future__ import annotations

from pathlib import Path

import pytest

from llmp_opencompass.adapters.model import SimulacrumModel, to_messages
from llmp_opencompass.errors import ConfigError


def _model(data: Path, **options: object) -> SimulacrumModel:
    return SimulacrumModel(path="m", character="Mary Jones", data_dir=str(data), **options)  # type: ignore[arg-type]


@pytest.mark.parametrize(("option", "value"), [("temperature", "hot"), ("timeout", -1)])
def test_wrong_option_type_names_the_option(shared_data_dir: Path, option: str, value: object) -> None:
    with pytest.raises(ConfigError, match=f"option {option}="):
        _model(shared_data_dir, **{option: value})


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("connection", {"concurrency": 2.5}, "'connection': concurrency must be a whole number"),
        ("connection", {"concurrency": "4"}, "'connection': concurrency must be a whole number"),
        ("connection", {"retry": {"max_attempts": True}}, "'connection'.retry: max_attempts must be"),
        ("connection", {"retries": 3}, r"'connection': unknown keys \['retries'\]; valid keys: retry, cache_file"),
        ("options", {"rag_k": 0}, "'options': rag_k must be at least 1"),
        ("options", {"chunking": {"size": 10, "overlap": 10}}, "'options'.chunking: chunking needs"),
    ],
)
def test_wrong_nested_option_names_it(shared_data_dir: Path, option: str, value: object, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        _model(shared_data_dir, **{option: value})


def test_unknown_method_lists_the_valid_ones(shared_data_dir: Path) -> None:
    with pytest.raises(ConfigError, match="valid methods: blank, prompt, rag, macm"):
        _model(shared_data_dir, method="telepathy")


def test_good_options_and_prompt_conversion(shared_data_dir: Path) -> None:
    connection = {"concurrency": 2, "retry": {"max_attempts": 3}, "cache_file": None}
    model = _model(shared_data_dir, temperature=0, connection=connection, timeout=30.0)
    assert model.max_workers == 2 and model.connection.retry.max_attempts == 3 and model.retry == 3
    messages = to_messages([{"role": "SYSTEM", "prompt": "scene"}, {"role": "HUMAN", "prompt": "Q?"}])
    assert [(m.role, m.content) for m in messages] == [("system", "scene"), ("user", "Q?")]
