"""A scripted OpenAI-compatible server on loopback, for tests that need exact control
(fault injection, scoring of chosen answers; tests that use it say so in their names) and
for the benchmarks (a fixed latency per call).

``ScriptedServer(respond)`` serves ``POST /v1/chat/completions`` and ``GET /v1/models``;
``respond(body) -> Reply`` decides every answer. Each request body is recorded. With
``slots``, at most that many requests are answered at once and the others queue, like
a server with a fixed number of decoding slots (vLLM's ``max_num_seqs``, llama.cpp's
``--parallel``).
"""

from __future__ import annotations

import json
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

__all__ = ["Reply", "ScriptedServer", "completion"]


@dataclass
class Reply:
    """What the server sends back for one request."""

    content: str | None = "OK"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    raw_body: bytes | None = None  # sent as is instead of a completion
    delay: float = 0.0
    finish_reason: str = "stop"
    truncate: bool = False  # announce the full length, send half, close the connection
    reset: bool = False  # close the connection without answering


def completion(content: str | None, model: str = "scripted", finish_reason: str = "stop") -> dict:
    """A chat.completion body."""
    return {
        "id": "chatcmpl-scripted",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": finish_reason}
        ],
        "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
    }


class _Server(ThreadingHTTPServer):
    request_queue_size = 256  # the default 5 makes concurrent clients wait for retries
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a client that timed out and left: expected
            super().handle_error(request, client_address)  # type: ignore[arg-type]


class ScriptedServer:
    """Runs in a daemon thread; use as a context manager."""

    def __init__(self, respond: Callable[[dict], Reply], model: str = "scripted", slots: int | None = None) -> None:
        self.respond = respond
        self.model = model
        self._slots = threading.BoundedSemaphore(slots) if slots else None
        self.requests: list[dict] = []
        self.authorizations: list[str] = []
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def __enter__(self) -> ScriptedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _record(self, body: dict, authorization: str) -> None:
        with self._lock:
            self.requests.append(body)
            self.authorizations.append(authorization)

    def _answer(self, body: dict) -> Reply:
        if self._slots:
            self._slots.acquire()
        try:
            reply = self.respond(body)
            if reply.delay:
                time.sleep(reply.delay)
            return reply
        finally:
            if self._slots:
                self._slots.release()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # headers and body go out in two writes: with Nagle's algorithm on, the body waits
            # for the client's delayed ACK of the headers, 40 ms per reply on Linux loopback
            disable_nagle_algorithm = True

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                self._send(200, {}, json.dumps({"object": "list", "data": [{"id": server.model}]}).encode())

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                server._record(body, self.headers.get("Authorization", ""))
                reply = server._answer(body)
                if reply.reset:
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                payload = reply.raw_body
                if payload is None:
                    payload = json.dumps(completion(reply.content, server.model, reply.finish_reason)).encode()
                self._send(reply.status, reply.headers, payload, truncate=reply.truncate)

            def _send(self, status: int, headers: dict[str, str], payload: bytes, truncate: bool = False) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                if truncate:
                    self.wfile.write(payload[: len(payload) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                self.wfile.write(payload)

        return Handler
