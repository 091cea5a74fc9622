"""A limit on the calls in flight to one endpoint, shared by every process of this machine.

:mod:`.limit` bounds the calls of one process. A run has several (OpenCompass's task
processes, ``chat`` beside them), and a server with few decoding slots (the embedded
llama.cpp server decodes one request at a time) queues what it cannot serve: a queued
request waits in the server for a timeout that was meant for decoding, is abandoned
and sent again at the back of the queue. With ``HostSlots`` the waiting happens here:
a call takes one of ``n`` lock files (``flock``) of the endpoint's directory before it
is sent, and the request timeout starts only then. The kernel releases a lock when its
process dies, so a killed process never keeps a slot.

A server started by this package (the embedded llama.cpp server) declares its slots in
the endpoint's directory (:func:`declare_slots`) while it runs; ``connect`` then keeps to
them for that endpoint even when nobody set ``LLMP_ENDPOINT_SLOTS``. A declaration whose
process is gone is ignored.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from .types import ChatMessage, ChatModel, ChatResponse, GenerationConfig

__all__ = [
    "HostLimitedChatModel",
    "HostSlots",
    "declare_slots",
    "declared_slots",
    "endpoint_slot_dir",
    "withdraw_slots",
]

_POLL = 0.02
_DECLARED = "declared.json"


def endpoint_slot_dir(root: Path, base_url: str) -> Path:
    """The lock directory of one endpoint under ``root`` (named by a digest of its base URL)."""
    digest = hashlib.sha256(base_url.rstrip("/").encode("utf-8")).hexdigest()[:16]
    return root / digest


def declare_slots(root: Path, base_url: str, slots: int, pid: int) -> None:
    """Say that the server of process ``pid`` at ``base_url`` serves ``slots`` calls at once."""
    directory = endpoint_slot_dir(root, base_url)
    directory.mkdir(parents=True, exist_ok=True)
    tmp = directory / f".{_DECLARED}.{os.getpid()}"
    tmp.write_text(json.dumps({"slots": slots, "pid": pid, "base_url": base_url}))
    tmp.replace(directory / _DECLARED)


def withdraw_slots(root: Path, base_url: str) -> None:
    """Remove the declaration of ``base_url`` (when its server stops)."""
    (endpoint_slot_dir(root, base_url) / _DECLARED).unlink(missing_ok=True)


def declared_slots(root: Path, base_url: str) -> int | None:
    """The slots a running server declared for ``base_url``; None without a live declaration."""
    try:
        declared = json.loads((endpoint_slot_dir(root, base_url) / _DECLARED).read_text())
        slots, pid = int(declared["slots"]), int(declared["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass  # alive, another user's
    return slots if slots >= 1 else None


class HostSlots:
    """``n`` slots held through lock files in ``directory``."""

    def __init__(self, directory: Path, n: int) -> None:
        if n < 1:
            raise ValueError(f"an endpoint needs at least 1 slot, got {n}")
        self.directory = directory
        self.n = n

    @contextmanager
    def hold(self) -> Iterator[None]:
        """Wait for a free slot (as long as it takes) and hold it for the block."""
        self.directory.mkdir(parents=True, exist_ok=True)
        fd = self._acquire()
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def _open(self, index: int) -> int:
        return os.open(self.directory / f"slot-{index}.lock", os.O_RDWR | os.O_CREAT, 0o600)

    def _acquire(self) -> int:
        if self.n == 1:  # wait in the kernel: woken the moment the slot is free
            fd = self._open(0)
            fcntl.flock(fd, fcntl.LOCK_EX)
            return fd
        while True:  # several slots: take whichever is free first
            for index in range(self.n):
                fd = self._open(index)
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    return fd
                except BlockingIOError:
                    os.close(fd)
            time.sleep(_POLL)


class HostLimitedChatModel:
    """``inner`` with a slot of ``slots`` held for the duration of each call."""

    def __init__(self, inner: ChatModel, slots: HostSlots) -> None:
        self.inner = inner
        self.slots = slots

    def complete(self, messages: Sequence[ChatMessage], config: GenerationConfig) -> ChatResponse:
        """One call, once a slot of the endpoint is free on this machine."""
        with self.slots.hold():
            return self.inner.complete(messages, config)
