"""The one way every caller reaches an endpoint: limits on calls in flight (per process, and per
endpoint across the processes of this machine), bounded retries and the call cache
(outermost, so that a cached answer waits for nothing).

Simulacra, MACM's agents, the observer's judge, memory construction, character making
and ``chat`` all connect here, with the :class:`ConnectOptions` that
:func:`llmp_opencompass.settings.connection.connect_options` reads from the environment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .cache import CachingChatModel, CallCache
from .host_slots import HostLimitedChatModel, HostSlots, declared_slots, endpoint_slot_dir
from .limit import LimitedChatModel, shared_slots
from .openai_chat import Endpoint, OpenAIChatModel
from .retry import RetryingChatModel, RetryPolicy
from .types import ChatModel

__all__ = ["ConnectOptions", "connect"]


@dataclass(frozen=True)
class ConnectOptions:
    """How calls reach an endpoint, whoever makes them."""

    retry: RetryPolicy = field(default_factory=RetryPolicy)
    """Attempts and backoff for transient failures."""
    cache_file: Path | None = None
    """SQLite file of the persistent call cache; None disables it."""
    concurrency: int | None = None
    """Calls in flight at once, shared by every connection of the process with the same
    limit; None sets no limit."""
    endpoint_slots: int | None = None
    """Calls an endpoint serves at once: every process of this machine together sends each
    endpoint (by base URL) at most this many, and the others wait here, not in the server's
    queue (:mod:`.host_slots`); None: the slots its server declared, if it did, else no limit."""
    slot_dir: Path | None = None
    """Where the lock files and the servers' declarations live (one directory per endpoint
    below it); None sets no machine-wide limit at all."""

    def __post_init__(self) -> None:
        for name in ("concurrency", "endpoint_slots"):
            value = getattr(self, name)
            if value is not None and not _whole(value, minimum=1):
                raise ValueError(f"{name} must be a whole number of at least 1 or None, got {value!r}")
        if self.endpoint_slots is not None and self.slot_dir is None:
            raise ValueError("endpoint_slots needs a slot_dir for its lock files")


def _whole(value: object, *, minimum: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= minimum


def connect(endpoint: Endpoint, options: ConnectOptions | None = None) -> ChatModel:
    """``endpoint`` behind the call limit, the retries and (with a cache file) the call cache."""
    options = options or ConnectOptions()
    transport: ChatModel = OpenAIChatModel(endpoint)
    if options.slot_dir is not None:
        n = options.endpoint_slots or declared_slots(options.slot_dir, endpoint.base_url)
        if n is not None:
            slots = HostSlots(endpoint_slot_dir(options.slot_dir, endpoint.base_url), n)
            transport = HostLimitedChatModel(transport, slots)
    if options.concurrency is not None:
        transport = LimitedChatModel(transport, shared_slots(options.concurrency))
    chat: ChatModel = RetryingChatModel(transport, options.retry, name=endpoint.base_url)
    if options.cache_file is None:
        return chat
    return CachingChatModel(chat, CallCache(options.cache_file), f"{endpoint.model}@{endpoint.base_url}")
