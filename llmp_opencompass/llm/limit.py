"""A limit on the calls in flight, shared by every chat model of a process, as a wrapper.

An endpoint serves a fixed number of requests at once (vLLM's ``max_num_seqs``,
llama.cpp's ``--parallel``, a provider's rate limit). ``LimitedChatModel`` holds one
of ``n`` slots for the duration of each call to the model it wraps, so a process
never has more than ``n`` calls in flight, however many questions it works on at
once. It sits inside the retry wrapper: a call waiting to be retried gives its slot
back, and cache hits (outside) never take one. Time spent waiting for a slot does not
count against the call's time budget (:mod:`.budget`).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from .budget import not_counted
from .types import ChatMessage, ChatModel, ChatResponse, GenerationConfig

__all__ = ["LimitedChatModel", "shared_slots"]

_SLOTS: dict[int, threading.BoundedSemaphore] = {}
_GUARD = threading.Lock()


def shared_slots(n: int) -> threading.BoundedSemaphore:
    """The process-wide semaphore of ``n`` call slots (one per distinct ``n``)."""
    if n < 1:
        raise ValueError(f"a call limit must be at least 1, got {n}")
    with _GUARD:
        return _SLOTS.setdefault(n, threading.BoundedSemaphore(n))


class LimitedChatModel:
    """``inner`` with at most ``slots`` calls in flight (the semaphore may be shared)."""

    def __init__(self, inner: ChatModel, slots: threading.BoundedSemaphore) -> None:
        self.inner = inner
        self.slots = slots

    def complete(self, messages: Sequence[ChatMessage], config: GenerationConfig) -> ChatResponse:
        """One call, once a slot is free."""
        with not_counted():
            self.slots.acquire()
        try:
            return self.inner.complete(messages, config)
        finally:
            self.slots.release()
