"""Where the Human Simulacra files are: an explicit copy, the user cache, or a download.

Resolution order:

1. an explicit directory (``LLMP_DATA_DIR``): the repository root holding
   ``LLMP/Characters``, the ``LLMP`` directory or the ``Characters`` directory;
2. the user cache ``<cache base>/<commit>`` when it holds every manifest file, where the
   cache base is ``LLMP_CACHE_DIR``, else ``$XDG_CACHE_HOME/llmp_opencompass``, else
   ``~/.cache/llmp_opencompass``;
3. otherwise a download of the pinned files into that cache.

The core function, ``locate_data``, takes explicit arguments. Environment variables
are read only by ``DataSettings.from_environment``, which the CLI and the config
builders call.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..errors import ConfigError, MissingDataFileError
from .download import download_files
from .manifest import (
    CHARACTERS_DIR,
    DEFAULT_BASE_URL,
    Manifest,
    find_characters_dir,
    load_manifest,
    local_path,
)
from .store import HumanSimulacra

__all__ = [
    "ENV_DATA_DIR",
    "ENV_CACHE_DIR",
    "ENV_DATA_VERIFY",
    "ENV_BASE_URL",
    "ENV_EXTRA_CHARACTERS",
    "DataSettings",
    "DataLocation",
    "default_cache_base",
    "cache_dir",
    "missing_files",
    "locate_data",
    "open_store",
    "data_root_from_environment",
    "parse_extra_characters",
]

ENV_DATA_DIR = "LLMP_DATA_DIR"
"""A local copy to use instead of the cache."""
ENV_CACHE_DIR = "LLMP_CACHE_DIR"
"""Cache base directory (downloads go to ``<it>/<commit>``)."""
ENV_DATA_VERIFY = "LLMP_DATA_VERIFY"
"""``off`` to skip the SHA-256 checks when reading (for an intentionally edited copy)."""
ENV_BASE_URL = "LLMP_DATA_BASE_URL"
"""A mirror of the pinned upstream raw files to download from."""
ENV_EXTRA_CHARACTERS = "LLMP_EXTRA_CHARACTERS"
"""Comma-separated character folders (``llmp-opencompass character new``) added to the dataset's."""

_TRUE = frozenset({"1", "on", "true", "yes"})
_FALSE = frozenset({"0", "off", "false", "no"})

Source = Literal["explicit", "cache", "download"]


@dataclass(frozen=True)
class DataSettings:
    """How to find, fetch and read the data (everything the environment can change)."""

    data_dir: Path | None
    """An explicit local copy, or None to use the cache."""
    cache_base: Path
    """Directory under which ``<commit>/LLMP/Characters`` is cached."""
    base_url: str = DEFAULT_BASE_URL
    """Where to download the pinned files from."""
    download: bool = True
    """Download into the cache when it is incomplete (else raise)."""
    verify: bool = True
    """Check each pinned file's SHA-256 when it is read."""
    extra_characters: tuple[Path, ...] = ()
    """Character folders added to the dataset's characters."""

    @classmethod
    def from_environment(cls, environ: Mapping[str, str]) -> DataSettings:
        """Read ``LLMP_DATA_DIR``, ``LLMP_CACHE_DIR``, ``XDG_CACHE_HOME``, ``HOME``,
        ``LLMP_DATA_VERIFY``, ``LLMP_DATA_BASE_URL`` and ``LLMP_EXTRA_CHARACTERS`` from ``environ``.

        Raises:
            ConfigError: ``LLMP_DATA_VERIFY`` is not on/off.
        """
        data_dir = environ.get(ENV_DATA_DIR) or None
        return cls(
            data_dir=Path(data_dir).expanduser() if data_dir else None,
            cache_base=default_cache_base(environ),
            base_url=environ.get(ENV_BASE_URL) or DEFAULT_BASE_URL,
            verify=_parse_switch(environ.get(ENV_DATA_VERIFY, ""), ENV_DATA_VERIFY, default=True),
            extra_characters=parse_extra_characters(environ.get(ENV_EXTRA_CHARACTERS, "")),
        )


@dataclass(frozen=True)
class DataLocation:
    """Where the data was found."""

    characters_dir: Path
    """The local ``Characters`` directory."""
    source: Source
    """How it was found: an explicit directory, a complete cache, or a fresh download."""

    def describe(self) -> str:
        """One line for humans."""
        how = {
            "explicit": f"explicit directory (--data-dir or {ENV_DATA_DIR})",
            "cache": "user cache",
            "download": "user cache (just downloaded)",
        }[self.source]
        return f"{self.characters_dir} [{how}]"


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


def _parse_switch(value: str, name: str, *, default: bool) -> bool:
    lowered = value.strip().lower()
    if not lowered:
        return default
    if lowered in _TRUE | _FALSE:
        return lowered in _TRUE
    raise ConfigError(f"{name}={value!r} is not a switch; use on or off")


def default_cache_base(environ: Mapping[str, str]) -> Path:
    """``LLMP_CACHE_DIR``, else ``$XDG_CACHE_HOME/llmp_opencompass``, else ``~/.cache/llmp_opencompass``."""
    if environ.get(ENV_CACHE_DIR):
        return Path(environ[ENV_CACHE_DIR]).expanduser()
    if environ.get("XDG_CACHE_HOME"):
        return Path(environ["XDG_CACHE_HOME"]).expanduser() / "llmp_opencompass"
    home = Path(environ["HOME"]) if environ.get("HOME") else Path.home()
    return home / ".cache" / "llmp_opencompass"


def cache_dir(cache_base: Path, commit: str) -> Path:
    """The cache directory of one upstream commit (it holds ``LLMP/Characters``)."""
    return cache_base / commit


def missing_files(characters_dir: Path, manifest: Manifest) -> tuple[str, ...]:
    """Manifest paths absent from a ``Characters`` directory or of the wrong size (no hashing)."""

    def present(path: str, size: int) -> bool:
        target = local_path(characters_dir, path)
        return target.is_file() and target.stat().st_size == size

    return tuple(e.path for e in manifest.files if not present(e.path, e.size))


def locate_data(
    data_dir: Path | None,
    cache_base: Path,
    *,
    download: bool,
    base_url: str,
    manifest: Manifest,
    progress: bool = False,
) -> DataLocation:
    """Find the data: the explicit directory, else a complete cache, else download into the cache.

    Raises:
        MissingDataFileError: ``data_dir`` holds no ``Characters`` directory, or the cache is
            incomplete and ``download`` is False.
        DownloadError: the download failed.
    """
    if data_dir is not None:
        return DataLocation(find_characters_dir(data_dir), "explicit")
    root = cache_dir(cache_base, manifest.commit)
    characters_dir = root / CHARACTERS_DIR
    missing = missing_files(characters_dir, manifest)
    if not missing:
        return DataLocation(characters_dir, "cache")
    if not download:
        raise MissingDataFileError(
            f"{len(missing)} Human Simulacra files are missing from the cache {root} (first: {missing[0]}); "
            f"run `llmp-opencompass data download`, or point {ENV_DATA_DIR} at a local copy"
        )
    download_files(manifest, root, base_url=base_url, progress=progress)
    return DataLocation(characters_dir, "download")


def open_store(
    settings: DataSettings, *, manifest: Manifest | None = None, progress: bool = False
) -> HumanSimulacra:
    """Locate (downloading if needed and allowed) and open the data as ``settings`` say."""
    manifest = load_manifest() if manifest is None else manifest
    location = locate_data(
        settings.data_dir,
        settings.cache_base,
        download=settings.download,
        base_url=settings.base_url,
        manifest=manifest,
        progress=progress,
    )
    return HumanSimulacra(
        location.characters_dir, manifest=manifest, verify=settings.verify, extra=settings.extra_characters
    )


def data_root_from_environment(environ: Mapping[str, str], *, progress: bool = True) -> Path:
    """The local ``Characters`` directory as the environment says, downloading if needed.

    For the edges (config builders, CLI): ``HumanSimulacra(path)`` accepts the result.
    """
    settings = DataSettings.from_environment(environ)
    location = locate_data(
        settings.data_dir,
        settings.cache_base,
        download=settings.download,
        base_url=settings.base_url,
        manifest=load_manifest(),
        progress=progress,
    )
    return location.characters_dir
