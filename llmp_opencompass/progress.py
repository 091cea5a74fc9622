"""A progress bar for the long-running commands (memory build, story expansion)."""

from __future__ import annotations

import threading
from collections.abc import Callable

from rich.console import Console
from rich.progress import Progress

__all__ = ["ProgressBar"]


class ProgressBar:
    """A rich progress bar on stderr (or nothing when disabled), as a context manager that
    yields a thread-safe ``advance()``."""

    def __init__(self, description: str, *, total: int, completed: int = 0, enabled: bool = True) -> None:
        self.bar = Progress(console=Console(stderr=True), disable=not enabled, transient=False)
        self.task = self.bar.add_task(description, total=total, completed=completed)
        self._lock = threading.Lock()

    def __enter__(self) -> Callable[[], None]:
        self.bar.start()
        return self._advance

    def __exit__(self, *exc: object) -> None:
        self.bar.stop()

    def _advance(self) -> None:
        with self._lock:
            self.bar.advance(self.task)
