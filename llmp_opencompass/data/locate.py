"""Where the Human Simulacra files are: an explicit copy, the user cache, or a download.

Resolution order:

1. an explicit directory (``LLMP_DATA_DIR``): the repository root holding
   ``LLMP/Characters``, the ``LLMP`` directory or the ``Characters`` directory;
2. the user cache ``<cache base>/<commit>`` when it holds every manifest file, where the
   cache base is ``LLMP_CACHE_DIR``, else ``$XDG_CACHE_HOME/llmp_opencompass``, else
   ``~/.cache/llmp_opencompass``;
3. otherwise a download of the pinned files into that cache.

Everything here takes explicit arguments; the environment is read by
:func:`llmp_opencompass.settings.data.data_settings`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..errors import MissingDataFileError
from .download import download_files
from .manifest import CHARACTERS_DIR, DEFAULT_BASE_URL, Manifest, find_characters_dir, load_manifest, local_path
from .store import HumanSimulacra

__all__ = ["DataSettings", "DataLocation", "cache_dir", "missing_files", "locate_data", "open_store"]

_DATA_DIR_VARIABLE = "LLMP_DATA_DIR"

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
            "explicit": f"explicit directory (--data-dir or {_DATA_DIR_VARIABLE})",
            "cache": "user cache",
            "download": "user cache (just downloaded)",
        }[self.source]
        return f"{self.characters_dir} [{how}]"


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
            f"run `llmp-opencompass data download`, or point {_DATA_DIR_VARIABLE} at a local copy"
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
