"""Download the pinned Human Simulacra files: verified, atomic and resumable.

Each manifest file is streamed into a temporary file beside its destination, its length
is checked against Content-Length and its SHA-256 against the manifest, and only then is it moved into place
with ``os.replace``. A failure (HTTP error, connection reset, short read, hash
mismatch) leaves no partial file behind and raises a ``DownloadError`` that names the
URL. Files already present with the right hash are not fetched again, so an
interrupted download resumes where it stopped. Several processes may download into
the same directory at once: every file appears complete or not at all.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .. import __version__
from ..errors import DownloadError
from ..files import open_temp_beside
from .manifest import FileEntry, Manifest, file_url, sha256_file

__all__ = [
    "DEFAULT_WORKERS",
    "DEFAULT_TIMEOUT",
    "DEFAULT_RETRIES",
    "DownloadReport",
    "download_files",
]

DEFAULT_WORKERS = 8
"""Concurrent downloads."""
DEFAULT_TIMEOUT = 30.0
"""Seconds to wait for a connection or for the next bytes."""
DEFAULT_RETRIES = 2
"""Extra attempts per file after a transient failure (connection error, short read, HTTP 5xx/429)."""

_RETRYABLE_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})
_CHUNK = 1 << 16
_FIX = "check the network, or pass --base-url for a mirror, or point LLMP_DATA_DIR at a local copy"

Advance = Callable[[int], None]


class _TransientError(Exception):
    """A failure worth retrying; the message says what happened."""


@dataclass(frozen=True)
class DownloadReport:
    """What a download did."""

    dest: Path
    """The directory the files were written under (it holds ``LLMP/Characters``)."""
    downloaded: tuple[str, ...]
    """Paths fetched in this run."""
    present: tuple[str, ...]
    """Paths already present with the right hash (not fetched)."""


def download_files(
    manifest: Manifest,
    dest: Path,
    *,
    base_url: str,
    workers: int = DEFAULT_WORKERS,
    timeout: float = DEFAULT_TIMEOUT,
    retries: int = DEFAULT_RETRIES,
    backoff: float = 0.5,
    progress: bool = False,
) -> DownloadReport:
    """Download every manifest file missing or wrong under ``dest`` from ``base_url``.

    Args:
        manifest: the files to fetch and their hashes.
        dest: directory to hold ``LLMP/Characters/...`` (created if needed).
        base_url: URL prefix; a file's URL is the prefix plus its quoted manifest path.
        workers: maximum concurrent downloads.
        timeout: seconds to wait for a connection or for data.
        retries: extra attempts per file after a transient failure.
        backoff: seconds before the first retry, doubled for each further retry.
        progress: show a progress bar on stderr.

    Raises:
        DownloadError: a file could not be fetched or did not match its hash (names the URL).
    """
    verified = {e.path for e in manifest.files if _is_verified(dest / e.path, e)}
    present = tuple(e.path for e in manifest.files if e.path in verified)
    todo = [e for e in manifest.files if e.path not in verified]
    fetch = _Fetcher(base_url=base_url, dest=dest, timeout=timeout, retries=retries, backoff=backoff)
    with _progress_bar(
        progress, sum(e.size for e in todo), f"Human Simulacra {manifest.commit[:7]}"
    ) as advance:
        _fetch_all(fetch, todo, advance, max(1, workers))
    return DownloadReport(dest=dest, downloaded=tuple(e.path for e in todo), present=present)


def _is_verified(path: Path, entry: FileEntry) -> bool:
    return path.is_file() and path.stat().st_size == entry.size and sha256_file(path) == entry.sha256


def _fetch_all(fetch: _Fetcher, entries: list[FileEntry], advance: Advance, workers: int) -> None:
    """Fetch concurrently; on the first failure cancel what has not started and raise it."""
    if not entries:
        return
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="llmp-download") as pool:
        futures = [pool.submit(fetch, entry, advance) for entry in entries]
        try:
            for future in as_completed(futures):
                future.result()
        except BaseException:  # a failed file, or Ctrl-C: do not start the queued ones
            pool.shutdown(wait=True, cancel_futures=True)
            raise


@dataclass(frozen=True)
class _Fetcher:
    """Fetches one manifest file with bounded retries."""

    base_url: str
    dest: Path
    timeout: float
    retries: int
    backoff: float

    def __call__(self, entry: FileEntry, advance: Advance) -> None:
        url = file_url(self.base_url, entry.path)
        last: _TransientError | None = None
        for attempt in range(self.retries + 1):
            try:
                self._fetch_once(url, entry, advance)
                return
            except _TransientError as exc:
                last = exc
                if attempt < self.retries:
                    time.sleep(self.backoff * 2**attempt)
        raise DownloadError(f"downloading {url} failed after {self.retries + 1} attempts: {last}; {_FIX}")

    def _fetch_once(self, url: str, entry: FileEntry, advance: Advance) -> None:
        final = self.dest / entry.path
        final.parent.mkdir(parents=True, exist_ok=True)
        out_file, temp = open_temp_beside(final, ".part")
        received = 0

        def counted(n: int) -> None:
            nonlocal received
            received += n
            advance(n)

        try:
            with out_file as out:
                actual = _stream(url, out, self.timeout, counted)
            _check_hash(url, entry, actual)
            os.replace(temp, final)
        except BaseException:
            temp.unlink(missing_ok=True)
            advance(-received)
            raise


def _check_hash(url: str, entry: FileEntry, actual: str) -> None:
    if actual != entry.sha256:
        raise DownloadError(
            f"SHA-256 mismatch for {entry.path} downloaded from {url}: expected {entry.sha256}, "
            f"got {actual}; the file was not saved. The server does not serve the pinned upstream "
            f"commit's bytes: {_FIX}"
        )


def _stream(url: str, out: BinaryIO, timeout: float, advance: Advance) -> str:
    """Copy the body of ``url`` into ``out``; return its SHA-256 (raises on short reads)."""
    request = urllib.request.Request(url, headers={"User-Agent": f"llmp-opencompass/{__version__}"})
    digest = hashlib.sha256()
    received = 0
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length")
            for chunk in iter(lambda: response.read(_CHUNK), b""):
                out.write(chunk)
                digest.update(chunk)
                received += len(chunk)
                advance(len(chunk))
    except urllib.error.HTTPError as exc:
        if exc.code in _RETRYABLE_STATUS:
            raise _TransientError(f"HTTP {exc.code} {exc.reason}") from exc
        raise DownloadError(f"downloading {url} failed: HTTP {exc.code} {exc.reason}; {_FIX}") from exc
    except (urllib.error.URLError, http.client.HTTPException, OSError) as exc:
        raise _TransientError(f"{type(exc).__name__}: {exc}") from exc
    if length is not None and length.isdigit() and received != int(length):
        raise _TransientError(f"short read: got {received} of {length} bytes (connection closed early)")
    return digest.hexdigest()


@contextmanager
def _progress_bar(enabled: bool, total: int, description: str) -> Iterator[Advance]:
    """Yield a function that advances a rich byte progress bar (a no-op when disabled)."""
    if not enabled or total == 0:
        yield lambda _n: None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(stderr=True)) as bar:
        task = bar.add_task(description, total=total)
        yield lambda n: bar.advance(task, n)
