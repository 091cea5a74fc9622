"""The chat stack every caller uses: the endpoint, a limit on calls in flight, bounded retries,
and the call cache (outermost, so a cached answer waits for nothing)."""

from __future__ import annotations

import threading
from pathlib import Path

from .cache import CachingChatModel, CallCache
from .limit import LimitedChatModel
from .openai_chat import Endpoint, OpenAIChatModel
from .retry import RetryingChatModel, RetryPolicy
from .types import ChatModel

__all__ = ["connect"]


def connect(
    endpoint: Endpoint,
    *,
    policy: RetryPolicy | None = None,
    cache: Path | None = None,
    slots: threading.BoundedSemaphore | None = None,
) -> ChatModel:
    """``endpoint`` wrapped in retries and, when ``cache`` names a file, the persistent call cache;
    with ``slots``, each attempt holds one of them (see :mod:`.limit`)."""
    transport: ChatModel = OpenAIChatModel(endpoint)
    if slots is not None:
        transport = LimitedChatModel(transport, slots)
    chat: ChatModel = RetryingChatModel(transport, policy, name=endpoint.base_url)
    if cache is None:
        return chat
    return CachingChatModel(chat, CallCache(cache), f"{endpoint.model}@{endpoint.base_url}")
