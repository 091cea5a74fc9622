"""The chat stack every caller uses: the endpoint, bounded retries, and the call cache."""

from __future__ import annotations

from pathlib import Path

from .cache import CachingChatModel, CallCache
from .openai_chat import Endpoint, OpenAIChatModel
from .retry import RetryingChatModel, RetryPolicy
from .types import ChatModel

__all__ = ["connect"]


def connect(endpoint: Endpoint, *, policy: RetryPolicy | None = None, cache: Path | None = None) -> ChatModel:
    """``endpoint`` wrapped in retries and, when ``cache`` names a file, the persistent call cache."""
    chat: ChatModel = RetryingChatModel(OpenAIChatModel(endpoint), policy, name=endpoint.base_url)
    if cache is None:
        return chat
    return CachingChatModel(chat, CallCache(cache), f"{endpoint.model}@{endpoint.base_url}")
