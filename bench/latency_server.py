"""A scripted OpenAI-compatible endpoint with a fixed latency per call, for benchmarks.

It is :class:`llmp_opencompass.servers.scripted.ScriptedServer` with a reply function that
waits ``latency`` seconds, then answers with a reply that every agent and questionnaire
can use ("001, 002 ... The answer is A."). It records when each request started and ended
and which question it was about, so a benchmark can count calls and sequential rounds per
question independently of the package's own accounting.

Every reply carries a tag of its own ("(note 17)"). A request whose text holds the tags of
earlier replies depends on them, so its round is one more than theirs: the rounds are
measured from what each call was given, not from timing, which queueing for a slot would
stretch.

With ``slots`` set, it serves at most that many requests at once and queues the rest, so
``calls x latency / slots`` is a true lower bound on the wall time, however many requests
a client sends at once.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass

from llmp_opencompass.servers.scripted import Reply, ScriptedServer

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


class LatencyServer:
    """Serves on loopback in a background thread; a context manager."""

    def __init__(
        self, latency: float, questions: Iterable[str] = (), characters: Iterable[str] = (), slots: int | None = None
    ) -> None:
        self.latency = latency
        self.slots = slots
        self._busy = 0
        self._rounds: dict[str, int] = {}
        self.peak_in_flight = 0
        """Most requests served at once (queued ones excluded)."""
        self.questions = sorted(set(questions), key=len, reverse=True)
        self.characters = tuple(characters)
        self.calls: list[CallRecord] = []
        self._lock = threading.Lock()
        self._server = ScriptedServer(self._respond, model="bench", slots=slots)

    @property
    def base_url(self) -> str:
        return self._server.base_url

    def __enter__(self) -> LatencyServer:
        self._server.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.__exit__(*exc)

    def reset(self) -> list[CallRecord]:
        """Return the calls so far and start counting afresh."""
        with self._lock:
            calls, self.calls = self.calls, []
            self.peak_in_flight = 0
        return calls

    def _about(self, text: str) -> tuple[str | None, str | None]:
        question = next((q for q in self.questions if q in text), None)
        return question, next((c for c in self.characters if c in text), None)

    def _respond(self, body: dict) -> Reply:
        """Runs while holding one of the server's slots: wait the latency, answer with a new tag."""
        text = "\n".join(str(m.get("content", "")) for m in body.get("messages", []))
        with self._lock:
            tag = str(len(self._rounds) + 1)
            round_ = 1 + max((self._rounds.get(t, 0) for t in _TAG.findall(text)), default=0)
            self._rounds[tag] = round_
            self._busy += 1
            self.peak_in_flight = max(self.peak_in_flight, self._busy)
        start = time.monotonic()
        try:
            time.sleep(self.latency)
        finally:
            with self._lock:
                self._busy -= 1
        with self._lock:
            self.calls.append(CallRecord(start, time.monotonic(), *self._about(text), round_))
        return Reply(REPLY.format(tag=tag))
