"""Where the data comes from, as the environment says."""

from __future__ import annotations

from pathlib import Path

import pytest

from llmp_opencompass.data import CHARACTERS_DIR, DEFAULT_BASE_URL, DataSettings
from llmp_opencompass.errors import ConfigError
from llmp_opencompass.settings.data import data_settings, open_data
from llmp_opencompass.settings.locations import cache_base


def test_data_settings_defaults(tmp_path: Path) -> None:
    settings = data_settings({"HOME": str(tmp_path)})
    assert settings == DataSettings(
        data_dir=None,
        cache_base=tmp_path / ".cache" / "llmp_opencompass",
        base_url=DEFAULT_BASE_URL,
        download=True,
        verify=True,
    )


def test_cache_base_precedence(tmp_path: Path) -> None:
    home, xdg, own = str(tmp_path / "home"), str(tmp_path / "xdg"), str(tmp_path / "own")
    assert cache_base({"HOME": home, "XDG_CACHE_HOME": xdg}) == Path(xdg) / "llmp_opencompass"
    assert cache_base({"HOME": home, "XDG_CACHE_HOME": xdg, "LLMP_CACHE_DIR": own}) == Path(own)
    assert (
        cache_base({"HOME": home, "XDG_CACHE_HOME": ""}) == Path(home) / ".cache" / "llmp_opencompass"
    )


def test_settings_read_data_dir_verify_and_mirror(tmp_path: Path) -> None:
    environ = {
        "HOME": str(tmp_path),
        "LLMP_DATA_DIR": str(tmp_path / "copy"),
        "LLMP_DATA_VERIFY": "OFF",
        "LLMP_DATA_BASE_URL": "http://mirror/x/",
    }
    settings = data_settings(environ)
    assert settings.data_dir == tmp_path / "copy"
    assert settings.verify is False and settings.base_url == "http://mirror/x/"
    with pytest.raises(ConfigError, match="LLMP_DATA_VERIFY='maybe'"):
        data_settings({"HOME": str(tmp_path), "LLMP_DATA_VERIFY": "maybe"})


def test_open_data_uses_explicit_copy(shared_data_dir: Path, tmp_path: Path) -> None:
    environ = {"HOME": str(tmp_path), "LLMP_DATA_DIR": str(shared_data_dir / "LLMP")}
    assert open_data(environ).characters_dir == shared_data_dir / CHARACTERS_DIR
