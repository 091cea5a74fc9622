"""Finding the run of an OpenCompass work directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from llmp_opencompass.errors import ConfigError
from llmp_opencompass.workdir import find_run_dir


def test_latest_timestamped_run_holding_the_folder(tmp_path: Path) -> None:
    for name, folder in (("20250101_000000", "results"), ("20250102_000000", "results"), ("20250103_000000", "x")):
        (tmp_path / name / folder).mkdir(parents=True)
    assert find_run_dir(tmp_path) == tmp_path / "20250102_000000"
    assert find_run_dir(tmp_path / "20250101_000000") == tmp_path / "20250101_000000"
    with pytest.raises(ConfigError, match="no OpenCompass run with predictions under"):
        find_run_dir(tmp_path, holding="predictions")
    with pytest.raises(ConfigError, match="is not a directory"):
        find_run_dir(tmp_path / "nope")
