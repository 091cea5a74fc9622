"""The downloader, for real, against HTTP servers on 127.0.0.1 serving the shared copy."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from llmp_opencompass.data import CHARACTERS_DIR, FileEntry, Manifest, check_files, download_files, file_url
from llmp_opencompass.errors import DownloadError
from tests.support.data_server import MARY_CLOZE, MARY_MEMORY, LoopbackServer, Script

pytestmark = pytest.mark.timeout(60)

StartServer = Callable[..., LoopbackServer]


def _leftovers(dest: Path) -> list[Path]:
    """Temporary files a download may have left behind."""
    return [p for p in dest.rglob("*") if p.name.startswith(".") or p.suffix == ".part"]


def test_download_from_loopback_server_then_verify_ok(
    loopback_server: StartServer, manifest: Manifest, tmp_path: Path
) -> None:
    server = loopback_server()
    report = download_files(manifest, tmp_path, base_url=server.base_url, workers=4, progress=True)
    assert len(report.downloaded) == 91 and report.present == ()
    assert server.total_requests == 91
    assert all(s.status == "ok" for s in check_files(tmp_path / CHARACTERS_DIR, manifest))
    assert _leftovers(tmp_path) == []


def test_download_from_loopback_server_resumes_without_refetching(
    loopback_server: StartServer, manifest: Manifest, tmp_path: Path
) -> None:
    server = loopback_server()
    download_files(manifest, tmp_path, base_url=server.base_url)
    again = download_files(manifest, tmp_path, base_url=server.base_url)
    assert again.downloaded == () and len(again.present) == 91
    assert server.total_requests == 91

    (tmp_path / MARY_CLOZE).unlink()
    (tmp_path / MARY_MEMORY).write_bytes(b"edited")
    repaired = download_files(manifest, tmp_path, base_url=server.base_url)
    assert sorted(repaired.downloaded) == sorted([MARY_CLOZE, MARY_MEMORY])
    assert server.total_requests == 93
    assert all(s.status == "ok" for s in check_files(tmp_path / CHARACTERS_DIR, manifest))


def test_download_from_scripted_loopback_server_with_corrupted_file(
    loopback_server: StartServer, manifest: Manifest, tmp_path: Path
) -> None:
    server = loopback_server(Script(corrupt={MARY_CLOZE}))
    with pytest.raises(DownloadError) as caught:
        download_files(manifest, tmp_path, base_url=server.base_url, backoff=0)
    message = str(caught.value)
    entry = manifest.entry(MARY_CLOZE)
    assert entry is not None
    assert "SHA-256 mismatch" in message and MARY_CLOZE in message and entry.sha256 in message
    assert file_url(server.base_url, MARY_CLOZE) in message
    assert not (tmp_path / MARY_CLOZE).exists()
    assert _leftovers(tmp_path) == []


def test_download_from_scripted_loopback_server_that_closes_half_way(
    loopback_server: StartServer, manifest: Manifest, tmp_path: Path
) -> None:
    server = loopback_server(Script(truncate={MARY_MEMORY}))
    with pytest.raises(DownloadError) as caught:
        download_files(manifest, tmp_path, base_url=server.base_url, retries=2, backoff=0)
    message = str(caught.value)
    assert file_url(server.base_url, MARY_MEMORY) in message and "short read" in message
    assert server.requests[MARY_MEMORY] == 3  # bounded retries: 1 + 2
    assert not (tmp_path / MARY_MEMORY).exists()
    assert _leftovers(tmp_path) == []


def test_download_from_scripted_loopback_server_retries_transient_503(
    loopback_server: StartServer, manifest: Manifest, tmp_path: Path
) -> None:
    server = loopback_server(Script(unavailable={MARY_CLOZE: 2}))
    report = download_files(manifest, tmp_path, base_url=server.base_url, retries=2, backoff=0)
    assert len(report.downloaded) == 91
    assert server.requests[MARY_CLOZE] == 3
    assert all(s.status == "ok" for s in check_files(tmp_path / CHARACTERS_DIR, manifest))


def test_download_from_loopback_server_404_fails_at_once(
    loopback_server: StartServer, tmp_path: Path
) -> None:
    server = loopback_server()
    missing = "LLMP/Characters/Questions/Nobody/Cloze.json"
    only = Manifest(repo="r", commit="c", base_url=server.base_url, files=(FileEntry(missing, "0" * 64, 1),))
    with pytest.raises(DownloadError, match="HTTP 404") as caught:
        download_files(only, tmp_path, base_url=server.base_url, backoff=0)
    assert file_url(server.base_url, missing) in str(caught.value)
    assert server.requests[missing] == 1
    assert _leftovers(tmp_path) == [] and not (tmp_path / missing).exists()


def test_download_from_unreachable_server_names_url(manifest: Manifest, tmp_path: Path) -> None:
    import socket

    with socket.socket() as sock:  # a port with nothing listening
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    one = Manifest(repo="r", commit="c", base_url="", files=manifest.files[:1])
    base_url = f"http://127.0.0.1:{port}/c/"
    with pytest.raises(DownloadError, match="failed after 2 attempts") as caught:
        download_files(one, tmp_path, base_url=base_url, retries=1, backoff=0, timeout=5)
    assert file_url(base_url, one.files[0].path) in str(caught.value)
