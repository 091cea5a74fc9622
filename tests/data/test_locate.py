"""Resolution order: explicit directory, then a complete cache, then a download into the cache."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from llmp_opencompass.data import (
    CHARACTERS_DIR,
    DataSettings,
    Manifest,
    cache_dir,
    locate_data,
    missing_files,
    open_store,
)
from llmp_opencompass.errors import MissingDataFileError
from tests.support.data_server import MARY_CLOZE, LoopbackServer, copy_pinned

pytestmark = pytest.mark.timeout(60)

UNREACHABLE = "http://127.0.0.1:9/never/"


@pytest.fixture
def full_cache(shared_data_dir: Path, tmp_path: Path, manifest: Manifest) -> Path:
    """A cache base whose commit directory holds every manifest file."""
    copy_pinned(shared_data_dir, cache_dir(tmp_path / "cache", manifest.commit), manifest)
    return tmp_path / "cache"


def test_explicit_directory_wins_over_complete_cache(
    shared_data_dir: Path, full_cache: Path, manifest: Manifest
) -> None:
    for given in (shared_data_dir, shared_data_dir / "LLMP", shared_data_dir / CHARACTERS_DIR):
        location = locate_data(given, full_cache, download=False, base_url=UNREACHABLE, manifest=manifest)
        assert location.source == "explicit"
        assert location.characters_dir == shared_data_dir / CHARACTERS_DIR


def test_explicit_directory_without_data_is_an_error(tmp_path: Path, manifest: Manifest) -> None:
    with pytest.raises(MissingDataFileError, match="LLMP_DATA_DIR"):
        locate_data(tmp_path, tmp_path / "cache", download=True, base_url=UNREACHABLE, manifest=manifest)


def test_complete_cache_is_used_without_download(full_cache: Path, manifest: Manifest) -> None:
    location = locate_data(None, full_cache, download=False, base_url=UNREACHABLE, manifest=manifest)
    assert location.source == "cache"
    assert location.characters_dir == full_cache / manifest.commit / CHARACTERS_DIR
    assert "user cache" in location.describe()


def test_incomplete_cache_without_download_says_how_to_fix(full_cache: Path, manifest: Manifest) -> None:
    (full_cache / manifest.commit / MARY_CLOZE).unlink()
    assert missing_files(full_cache / manifest.commit / CHARACTERS_DIR, manifest) == (MARY_CLOZE,)
    with pytest.raises(MissingDataFileError, match="llmp-opencompass data download"):
        locate_data(None, full_cache, download=False, base_url=UNREACHABLE, manifest=manifest)


def test_incomplete_cache_triggers_download_from_loopback_server(
    full_cache: Path, manifest: Manifest, loopback_server: Callable[..., LoopbackServer]
) -> None:
    server = loopback_server()
    (full_cache / manifest.commit / MARY_CLOZE).unlink()
    location = locate_data(None, full_cache, download=True, base_url=server.base_url, manifest=manifest)
    assert location.source == "download"
    assert dict(server.requests) == {MARY_CLOZE: 1}
    assert missing_files(location.characters_dir, manifest) == ()


def test_empty_cache_downloads_everything_then_opens(
    tmp_path: Path, manifest: Manifest, loopback_server: Callable[..., LoopbackServer]
) -> None:
    server = loopback_server()
    settings = DataSettings(data_dir=None, cache_base=tmp_path, base_url=server.base_url)
    store = open_store(settings, manifest=manifest)
    assert server.total_requests == 91
    assert len(store.characters()) == 11
    assert store.characters_dir == tmp_path / manifest.commit / CHARACTERS_DIR


