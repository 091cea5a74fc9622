"""One narrow chat protocol over OpenAI-compatible endpoints, plus wrappers (retry, ...)."""

from .cache import CachingChatModel, CallCache, cache_key, cache_path
from .connect import connect
from .openai_chat import OPENAI_DEFAULT_URL, Endpoint, OpenAIChatModel, TransientEndpointError
from .retry import RetryingChatModel, RetryPolicy
from .types import ChatMessage, ChatModel, ChatResponse, GenerationConfig, Usage, merge_system_messages

__all__ = [
    "CachingChatModel",
    "CallCache",
    "cache_key",
    "cache_path",
    "connect",
    "OPENAI_DEFAULT_URL",
    "ChatMessage",
    "ChatModel",
    "ChatResponse",
    "Endpoint",
    "GenerationConfig",
    "OpenAIChatModel",
    "RetryPolicy",
    "RetryingChatModel",
    "TransientEndpointError",
    "Usage",
    "merge_system_messages",
]
