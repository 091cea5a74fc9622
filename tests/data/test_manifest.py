"""The packaged manifest: pinned upstream, the files it lists, and that it matches the shared copy."""

from __future__ import annotations

from pathlib import Path

import pytest

from llmp_opencompass.data import (
    DEFAULT_BASE_URL,
    UPSTREAM_COMMIT,
    Manifest,
    build_manifest,
    check_files,
    file_url,
    read_manifest,
    write_manifest,
)
from llmp_opencompass.errors import MalformedDataFileError
from tests.support.data_server import MARY_CLOZE


def test_manifest_pins_upstream_commit(manifest: Manifest) -> None:
    assert manifest.repo == "hasakiXie123/Human-Simulacra"
    assert manifest.commit == UPSTREAM_COMMIT == "5f521ab18eb4206d6e4f608670646b249b342c71"
    assert manifest.base_url == DEFAULT_BASE_URL
    assert DEFAULT_BASE_URL.startswith(
        "https://raw.githubusercontent.com/hasakiXie123/Human-Simulacra/5f521ab"
    )


def test_manifest_lists_the_used_files_only(manifest: Manifest) -> None:
    paths = [entry.path for entry in manifest.files]
    assert len(paths) == 91 and paths == sorted(paths)
    assert all(p.startswith("LLMP/Characters/") for p in paths)
    assert not any(p.endswith((".pdf", "_with_chapter_title.txt", ".md")) for p in paths)
    for expected in (
        "LLMP/Characters/character_introductions.json",
        "LLMP/Characters/character_profiles.json",
        "LLMP/Characters/Attributes/traits.txt",
        "LLMP/Characters/Stories/Mary Jones/Mary Jones.txt",
        "LLMP/Characters/Memories/Marsh Zhaleh/index.json",
        MARY_CLOZE,
        "LLMP/Characters/Questions/base.json",
        "LLMP/Characters/Questions/Open-Ended.json",
    ):
        assert manifest.entry(expected) is not None, expected
    assert sum(p.startswith("LLMP/Characters/Questions/") for p in paths) == 44 + 5


def test_manifest_matches_shared_copy(shared_data_dir: Path, manifest: Manifest) -> None:
    assert build_manifest(shared_data_dir) == manifest
    assert all(status.status == "ok" for status in check_files(shared_data_dir / "LLMP/Characters", manifest))


def test_manifest_round_trips_through_json(tmp_path: Path, manifest: Manifest) -> None:
    write_manifest(manifest, tmp_path / "manifest.json")
    assert read_manifest(tmp_path / "manifest.json") == manifest
    (tmp_path / "broken.json").write_text('{"repo": 1,\n', encoding="utf-8")
    with pytest.raises(MalformedDataFileError, match="line 2"):
        read_manifest(tmp_path / "broken.json")


def test_file_url_quotes_spaces() -> None:
    assert (
        file_url("http://host/c/", MARY_CLOZE)
        == "http://host/c/LLMP/Characters/Questions/Mary%20Jones/Cloze.json"
    )
    assert file_url("http://host/c", "LLMP/x.txt") == "http://host/c/LLMP/x.txt"
