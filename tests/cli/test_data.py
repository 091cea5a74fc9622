"""The ``llmp-opencompass data`` subcommands, run through the real ``main``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from llmp_opencompass.cli.main import main
from tests.support.data_server import MARY_CLOZE, LoopbackServer

pytestmark = pytest.mark.timeout(60)

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No user cache, no user copy, and a mirror that cannot be reached."""
    for name in ("LLMP_DATA_DIR", "LLMP_DATA_VERIFY", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LLMP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("LLMP_DATA_BASE_URL", "http://127.0.0.1:9/unreachable/")


def test_data_verify_on_shared_copy_exits_zero(
    shared_data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["data", "verify", "--data-dir", str(shared_data_dir)]) == 0
    assert capsys.readouterr().out.startswith("OK 91 files")


def test_data_verify_on_corrupted_copy_names_the_file(
    data_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corrupted = data_copy / MARY_CLOZE
    corrupted.write_bytes(corrupted.read_bytes().replace(b"Mary Jones", b"Mary Jonez"))
    (data_copy / "LLMP/Characters/Attributes/traits.txt").unlink()
    assert main(["data", "verify", "--data-dir", str(data_copy)]) == 1
    out = capsys.readouterr().out
    assert f"CORRUPT {MARY_CLOZE} (expected sha256" in out
    assert "MISSING LLMP/Characters/Attributes/traits.txt" in out
    assert "2 of 91 files" in out and "llmp-opencompass data download" in out


def test_data_verify_reads_llmp_data_dir(shared_data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LLMP_DATA_DIR", str(shared_data_dir))
    assert main(["data", "verify"]) == 0


def test_data_verify_without_data_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["data", "verify"]) == 2
    assert "no Human Simulacra data" in capsys.readouterr().err


def test_data_info_on_shared_copy(shared_data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["data", "info", "--data-dir", str(shared_data_dir)]) == 0
    out = capsys.readouterr().out
    assert "explicit directory" in out and "5f521ab18eb4206d6e4f608670646b249b342c71" in out
    assert "Mary Jones" in out and "yes (5)" in out
    assert all(total in out for total in ("55", "1762", "887"))


def test_data_manifest_reproduces_the_committed_manifest(shared_data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "manifest.json"
    assert main(["data", "manifest", "--from", str(shared_data_dir), "--out", str(out)]) == 0
    assert out.read_bytes() == (PROJECT_ROOT / "llmp_opencompass" / "resources" / "manifest.json").read_bytes()


def test_data_download_from_loopback_server_then_verify(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], loopback_server: Callable[..., LoopbackServer]
) -> None:
    server = loopback_server()
    dest = tmp_path / "dest"
    assert main(["data", "download", "--dest", str(dest), "--base-url", server.base_url]) == 0
    assert "downloaded 91 files, 0 already present" in capsys.readouterr().out
    assert main(["data", "verify", "--data-dir", str(dest)]) == 0


def test_data_download_into_cache_then_info_uses_it(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    loopback_server: Callable[..., LoopbackServer],
) -> None:
    server = loopback_server()
    monkeypatch.setenv("LLMP_DATA_BASE_URL", server.base_url)
    assert main(["data", "download"]) == 0
    assert main(["data", "info"]) == 0
    assert "user cache" in capsys.readouterr().out
    assert server.total_requests == 91
