"""A scripted server's answer that counts the requests being answered at once."""

from __future__ import annotations

import threading
import time

from llmp_opencompass.servers.scripted import Reply


class InFlight:
    """``ScriptedServer(InFlight(...))``: answers ``content`` after ``delay`` seconds and records
    the most requests it was answering at the same time in ``most``."""

    def __init__(self, content: str = "OK", delay: float = 0.05) -> None:
        self.content = content
        self.delay = delay
        self.most = 0
        self._now = 0
        self._lock = threading.Lock()

    def __call__(self, body: dict) -> Reply:
        with self._lock:
            self._now += 1
            self.most = max(self.most, self._now)
        time.sleep(self.delay)
        with self._lock:
            self._now -= 1
        return Reply(self.content)
