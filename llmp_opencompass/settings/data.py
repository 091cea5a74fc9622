"""Where the Human Simulacra data comes from, as the environment says.

| variable | meaning | default |
|---|---|---|
| ``LLMP_DATA_DIR`` | a local copy to use instead of the cache | the cache, downloaded at first use |
| ``LLMP_DATA_VERIFY`` | ``off`` skips the SHA-256 checks when reading (a copy edited on purpose) | on |
| ``LLMP_DATA_BASE_URL`` | a mirror of the pinned upstream raw files to download from | GitHub |
| ``LLMP_EXTRA_CHARACTERS`` | comma-separated character folders (``llmp-opencompass character new``) | none |
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ..data.locate import DataSettings, open_store
from ..data.manifest import DEFAULT_BASE_URL
from ..data.store import HumanSimulacra
from ..errors import ConfigError
from . import env as read
from .locations import cache_base

__all__ = [
    "ENV_BASE_URL",
    "ENV_DATA_DIR",
    "ENV_DATA_VERIFY",
    "ENV_EXTRA_CHARACTERS",
    "data_settings",
    "open_data",
    "parse_extra_characters",
]

ENV_DATA_DIR = "LLMP_DATA_DIR"
ENV_DATA_VERIFY = "LLMP_DATA_VERIFY"
ENV_BASE_URL = "LLMP_DATA_BASE_URL"
ENV_EXTRA_CHARACTERS = "LLMP_EXTRA_CHARACTERS"


def data_settings(env: Mapping[str, str]) -> DataSettings:
    """Read the variables of the module docstring (and the cache base)."""
    return DataSettings(
        data_dir=read.path(env, ENV_DATA_DIR),
        cache_base=cache_base(env),
        base_url=read.url(env, ENV_BASE_URL, DEFAULT_BASE_URL),
        verify=read.switch(env, ENV_DATA_VERIFY, True),
        extra_characters=parse_extra_characters(env.get(ENV_EXTRA_CHARACTERS, "")),
    )


def open_data(env: Mapping[str, str], *, progress: bool = True) -> HumanSimulacra:
    """The data as the environment says: ``LLMP_DATA_DIR``, else the cache, else a verified download."""
    return open_store(data_settings(env), progress=progress)


def parse_extra_characters(value: str) -> tuple[Path, ...]:
    """``DIR1,DIR2`` as absolute paths; each must be a directory (the error names it and the fix)."""
    folders = tuple(Path(p.strip()).expanduser().resolve() for p in value.split(",") if p.strip())
    for folder in folders:
        if not folder.is_dir():
            raise ConfigError(
                f"{ENV_EXTRA_CHARACTERS}: {folder} is not a directory; give character folders made by "
                "`llmp-opencompass character new --out DIR`, separated by commas"
            )
    return folders
