"""A scripted OpenAI-compatible endpoint with a fixed latency per call, for benchmarks.

Every chat completion waits ``latency`` seconds, then answers with a reply that every
agent and questionnaire can use ("001, 002 ... The answer is A."). It records when each
request started and ended and which question it was about, so a benchmark can count
calls and sequential rounds per question independently of the package's own accounting.

Every reply carries a tag of its own ("(note 17)"). A request whose text holds the tags of
earlier replies depends on them, so its round is one more than theirs: the rounds are
measured from what each call was given, not from timing, which queueing for a slot would
stretch.

With ``slots`` set, it serves at most that many requests at once and queues the rest,
like a server with a fixed number of decoding slots (vLLM's ``max_num_seqs``,
llama.cpp's ``--parallel``). Then ``calls x latency / slots`` is a true lower bound
on the wall time, however many requests a client sends at once.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

__all__ = ["CallRecord", "LatencyServer"]

REPLY = "I remember 001 and 002. Thinking it over (note {tag}), the answer is A."
_TAG = re.compile(r"\(note (\d+)\)")


@dataclass(frozen=True)
class CallRecord:
    """One chat completion request."""

    start: float
    end: float
    question: str | None
    """The questionnaire item the request mentions (None if none)."""
    character: str | None
    """The character the request names (None if none, as for ``blank``)."""
    round: int = 1
    """1 + the highest round of the earlier replies the request holds (1 when it holds none)."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256


class LatencyServer:
    """Serves on loopback in a background thread; a context manager."""

    def __init__(
        self, latency: float, questions: Iterable[str] = (), characters: Iterable[str] = (), slots: int | None = None
    ) -> None:
        self.latency = latency
        self.slots = slots
        self._slots = threading.BoundedSemaphore(slots) if slots else None
        self._busy = 0
        self._rounds: dict[str, int] = {}
        self.peak_in_flight = 0
        """Most requests served at once (queued ones excluded)."""
        self.questions = sorted(set(questions), key=len, reverse=True)
        self.characters = tuple(characters)
        self.calls: list[CallRecord] = []
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def __enter__(self) -> LatencyServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def reset(self) -> list[CallRecord]:
        """Return the calls so far and start counting afresh."""
        with self._lock:
            calls, self.calls = self.calls, []
            self.peak_in_flight = 0
        return calls

    def _about(self, text: str) -> tuple[str | None, str | None]:
        question = next((q for q in self.questions if q in text), None)
        return question, next((c for c in self.characters if c in text), None)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                self._send({"object": "list", "data": [{"id": "bench"}]})

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                text = "\n".join(str(m.get("content", "")) for m in body.get("messages", []))
                with server._lock:
                    tag = str(len(server._rounds) + 1)
                    round_ = 1 + max((server._rounds.get(t, 0) for t in _TAG.findall(text)), default=0)
                    server._rounds[tag] = round_
                if server._slots:
                    server._slots.acquire()
                start = time.monotonic()
                with server._lock:
                    server._busy += 1
                    server.peak_in_flight = max(server.peak_in_flight, server._busy)
                try:
                    time.sleep(server.latency)
                finally:
                    with server._lock:
                        server._busy -= 1
                    if server._slots:
                        server._slots.release()
                self._send({
                    "id": "bench", "object": "chat.completion", "created": int(time.time()), "model": "bench",
                    "choices": [{"index": 0, "message": {"role": "assistant", "content": REPLY.format(tag=tag)},
                                 "finish_reason": "stop"}],
                    "usage": {"prompt_tokens": 100, "completion_tokens": 12, "total_tokens": 112},
                })  # fmt: skip
                with server._lock:
                    server.calls.append(CallRecord(start, time.monotonic(), *server._about(text), round_))

            def _send(self, payload: dict) -> None:
                data = json.dumps(payload).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        return Handler
