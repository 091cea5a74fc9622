"""SimulacrumModel rejects wrong option types with an error naming the option."""

from __future__ import annotations

from pathlib import Path

import pytest

from llmp_opencompass.adapters.model import SimulacrumModel, to_messages
from llmp_opencompass.errors import ConfigError


def _model(data: Path, **options: object) -> SimulacrumModel:
    return SimulacrumModel(path="m", character="Mary Jones", data_dir=str(data), **options)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("option", "value"),
    [("temperature", "hot"), ("max_workers", 2.5), ("max_workers", "4"), ("retry", True), ("timeout", -1)],
)
def test_wrong_option_type_names_the_option(shared_data_dir: Path, option: str, value: object) -> None:
    with pytest.raises(ConfigError, match=f"option {option}="):
        _model(shared_data_dir, **{option: value})


def test_unknown_method_lists_the_valid_ones(shared_data_dir: Path) -> None:
    with pytest.raises(ConfigError, match="valid methods: blank, prompt, rag, macm"):
        _model(shared_data_dir, method="telepathy")


def test_good_options_and_prompt_conversion(shared_data_dir: Path) -> None:
    model = _model(shared_data_dir, temperature=0, max_workers=2, retry=3, timeout=30.0)
    assert model.max_workers == 2
    messages = to_messages([{"role": "SYSTEM", "prompt": "scene"}, {"role": "HUMAN", "prompt": "Q?"}])
    assert [(m.role, m.content) for m in messages] == [("system", "scene"), ("user", "Q?")]
