"""Fixtures of the data and ``data`` command tests: copies of the shared data and loopback HTTP
servers (a pytest plugin, loaded by ``tests/conftest.py``).

The loopback servers serve the shared local copy under ``/<commit>/<path>``, like the
raw GitHub URLs; a ``Script`` makes chosen files fail in chosen ways.
"""

from __future__ import annotations

import shutil
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote

import pytest

from llmp_opencompass.data import HumanSimulacra, Manifest, load_manifest

MARY_CLOZE = "LLMP/Characters/Questions/Mary Jones/Cloze.json"
MARY_MEMORY = "LLMP/Characters/Memories/Mary Jones/long_memory.json"


@pytest.fixture(scope="session")
def manifest() -> Manifest:
    """The manifest shipped with the package."""
    return load_manifest()


@pytest.fixture(scope="session")
def store(shared_data_dir: Path) -> HumanSimulacra:
    """A verifying store over the shared copy."""
    return HumanSimulacra(shared_data_dir)


def copy_pinned(source_root: Path, dest_root: Path, manifest: Manifest) -> Path:
    """Copy the manifest files of a root holding ``LLMP/Characters`` into ``dest_root``."""
    for entry in manifest.files:
        target = dest_root / entry.path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source_root / entry.path, target)
    return dest_root


@pytest.fixture
def data_copy(shared_data_dir: Path, tmp_path: Path, manifest: Manifest) -> Path:
    """A writable copy of the pinned files (the root holding ``LLMP/Characters``)."""
    return copy_pinned(shared_data_dir, tmp_path / "copy", manifest)


@dataclass
class Script:
    """How a scripted loopback server misbehaves, per repository-relative path."""

    corrupt: set[str] = field(default_factory=set)
    """Serve these with one byte flipped (same length)."""
    truncate: set[str] = field(default_factory=set)
    """Send the full Content-Length, then half the body, then close the connection."""
    unavailable: Counter[str] = field(default_factory=Counter)
    """Answer HTTP 503 this many times before serving the file."""

    def __post_init__(self) -> None:
        self.unavailable = Counter(self.unavailable)


@dataclass
class LoopbackServer:
    """A running server: its base URL and the paths it was asked for."""

    base_url: str
    script: Script
    requests: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def total_requests(self) -> int:
        return sum(self.requests.values())


class _Server(ThreadingHTTPServer):
    request_queue_size = (
        64  # the default 5 drops concurrent connects (then the client waits 1 s for a SYN retry)
    )
    daemon_threads = True


def _handler(root: Path, commit: str, server: LoopbackServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # quiet
            pass

        def do_GET(self) -> None:
            prefix = f"/{commit}/"
            path = unquote(self.path[len(prefix) :]) if self.path.startswith(prefix) else ""
            with server.lock:
                server.requests[path] += 1
                unavailable = server.script.unavailable[path] > 0
                if unavailable:
                    server.script.unavailable[path] -= 1
            target = (root / path).resolve()
            if unavailable:
                self.send_error(503, "try again")
            elif not path or root.resolve() not in target.parents or not target.is_file():
                self.send_error(404, "no such file")
            else:
                self._send(path, target.read_bytes())

        def _send(self, path: str, body: bytes) -> None:
            if path in server.script.corrupt:
                body = bytes([body[0] ^ 0x01]) + body[1:]
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if path in server.script.truncate:
                self.wfile.write(body[: len(body) // 2])
                self.wfile.flush()
                self.close_connection = True
                return
            self.wfile.write(body)

    return Handler


@pytest.fixture
def loopback_server(shared_data_dir: Path, manifest: Manifest) -> Iterator[Callable[..., LoopbackServer]]:
    """Start loopback HTTP servers over the shared copy: ``loopback_server(script=None)``."""
    started: list[_Server] = []

    def start(script: Script | None = None) -> LoopbackServer:
        httpd = _Server(("127.0.0.1", 0), BaseHTTPRequestHandler)
        host, port = httpd.server_address[:2]
        server = LoopbackServer(
            base_url=f"http://{host}:{port}/{manifest.commit}/", script=script or Script()
        )
        httpd.RequestHandlerClass = _handler(shared_data_dir, manifest.commit, server)
        threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        started.append(httpd)
        return server

    yield start
    for httpd in started:
        httpd.shutdown()
        httpd.server_close()
