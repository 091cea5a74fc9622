"""The time one call may take, all its attempts and the waits between them included.

:class:`~llmp_opencompass.llm.retry.RetryingChatModel` opens a :func:`call_budget` around
each call. Inside it, the transport gives each attempt at most the time left
(:func:`attempt_timeout`), and the retries stop when the next wait would run past it.
Time spent queueing for a call slot (:class:`~llmp_opencompass.llm.limit.LimitedChatModel`)
is not the endpoint's and is not counted (:func:`not_counted`). The budget travels in a
context variable, so wrappers between the retries and the transport need not pass it on;
each thread's call has its own.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

__all__ = ["CallBudget", "attempt_timeout", "call_budget", "not_counted"]


class CallBudget:
    """A deadline on the monotonic clock that can be pushed back by time not counted."""

    def __init__(self, seconds: float | None) -> None:
        self._end = math.inf if seconds is None else time.monotonic() + seconds
        self._lock = threading.Lock()

    def remaining(self) -> float:
        """Seconds left (``inf`` without a bound; negative once past the deadline)."""
        with self._lock:
            return self._end - time.monotonic()

    def extend(self, seconds: float) -> None:
        """Push the deadline back by ``seconds`` (time that is not the call's)."""
        with self._lock:
            self._end += max(0.0, seconds)


_CURRENT: ContextVar[CallBudget | None] = ContextVar("llmp_call_budget", default=None)


@contextmanager
def call_budget(seconds: float | None) -> Iterator[CallBudget]:
    """A budget of ``seconds`` (None: unbounded) for the call made inside the block."""
    budget = CallBudget(seconds)
    token = _CURRENT.set(budget)
    try:
        yield budget
    finally:
        _CURRENT.reset(token)


def attempt_timeout(timeout: float) -> float:
    """``timeout``, shortened to the time left of the current call's budget (at least 1 ms)."""
    budget = _CURRENT.get()
    if budget is None:
        return timeout
    return max(0.001, min(timeout, budget.remaining()))


@contextmanager
def not_counted() -> Iterator[None]:
    """Time spent inside the block does not count against the current call's budget."""
    started = time.monotonic()
    try:
        yield
    finally:
        budget = _CURRENT.get()
        if budget is not None:
            budget.extend(time.monotonic() - started)
