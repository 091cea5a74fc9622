"""The one way every caller reaches an endpoint: a limit on calls in flight, bounded retries and
the call cache (outermost, so that a cached answer waits for nothing).

Simulacra, MACM's agents, the observer's judge, memory construction, character making
and ``chat`` all connect here, with the :class:`ConnectOptions` that
:func:`llmp_opencompass.settings.connection.connect_options` reads from the environment.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from pathlib import Path

from .cache import CachingChatModel, CallCache
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
    timeout: float | None = None
    """Seconds one attempt waits for its response (``LLMP_TIMEOUT``); None keeps the
    endpoint's own ``timeout``."""

    def __post_init__(self) -> None:
        if self.concurrency is not None and not _whole(self.concurrency, minimum=1):
            raise ValueError(f"concurrency must be a whole number of at least 1 or None, got {self.concurrency!r}")
        if self.timeout is not None and not (isinstance(self.timeout, int | float) and 0 < self.timeout < math.inf):
            raise ValueError(f"timeout must be a finite number of seconds above 0 or None, got {self.timeout!r}")


def _whole(value: object, *, minimum: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= minimum


def connect(endpoint: Endpoint, options: ConnectOptions | None = None) -> ChatModel:
    """``endpoint`` behind the call limit, the retries and (with a cache file) the call cache."""
    options = options or ConnectOptions()
    if options.timeout is not None:
        endpoint = replace(endpoint, timeout=options.timeout)
    transport: ChatModel = OpenAIChatModel(endpoint)
    if options.concurrency is not None:
        transport = LimitedChatModel(transport, shared_slots(options.concurrency))
    chat: ChatModel = RetryingChatModel(transport, options.retry, name=endpoint.base_url)
    if options.cache_file is None:
        return chat
    return CachingChatModel(chat, CallCache(options.cache_file), f"{endpoint.model}@{endpoint.base_url}")
