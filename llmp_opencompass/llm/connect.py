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
from typing import Literal

from .cache import CacheStore, CachingChatModel, CallCache, LayeredStore
from .limit import LimitedChatModel, shared_slots
from .openai_chat import Endpoint, OpenAIChatModel
from .retry import RetryingChatModel, RetryPolicy
from .shards import SHARD_DIR, shared_shard_store
from .types import ChatModel

__all__ = ["CACHE_LAYOUTS", "CacheLayout", "ConnectOptions", "cache_store", "connect"]

CacheLayout = Literal["auto", "sqlite", "shards"]
CACHE_LAYOUTS: tuple[CacheLayout, ...] = ("auto", "sqlite", "shards")


@dataclass(frozen=True)
class ConnectOptions:
    """How calls reach an endpoint, whoever makes them."""

    retry: RetryPolicy = field(default_factory=RetryPolicy)
    """Attempts and backoff for transient failures."""
    cache_file: Path | None = None
    """SQLite file of the persistent call cache; None disables it. Its shards (:mod:`.shards`)
    are in the directory ``llm_calls.d`` beside it."""
    cache_layout: CacheLayout = "sqlite"
    """What this process writes: ``sqlite`` (the file; the shards are read too) or ``shards``
    (a shard of its own, for processes on a cluster's nodes). ``auto`` is decided by the
    process that connects (:func:`llmp_opencompass.settings.connection.for_this_process`)."""
    concurrency: int | None = None
    """Calls in flight at once, shared by every connection of the process with the same
    limit; None sets no limit."""
    timeout: float | None = None
    """Seconds one attempt waits for its response (``LLMP_TIMEOUT``); None keeps the
    endpoint's own ``timeout``."""

    def __post_init__(self) -> None:
        if self.cache_layout not in CACHE_LAYOUTS:
            raise ValueError(f"cache_layout must be one of {', '.join(CACHE_LAYOUTS)}, got {self.cache_layout!r}")
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
    store = cache_store(options)
    if store is None:
        return chat
    return CachingChatModel(chat, store, f"{endpoint.model}@{endpoint.base_url}")


def cache_store(options: ConnectOptions) -> CacheStore | None:
    """The call cache of ``options``, None when it is off."""
    if options.cache_file is None:
        return None
    shards = options.cache_file.parent / SHARD_DIR
    if options.cache_layout == "shards":
        return shared_shard_store(shards, writable=True)
    if options.cache_layout == "sqlite":
        return LayeredStore(CallCache(options.cache_file), shared_shard_store(shards, writable=False))
    raise ValueError(
        "cache_layout 'auto' must be decided by the connecting process: "
        "llmp_opencompass.settings.connection.for_this_process(options, os.environ)"
    )
