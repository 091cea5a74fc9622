"""One narrow chat protocol over OpenAI-compatible endpoints, plus wrappers (retry, ...)."""

from .cache import CachingChatModel, CallCache, cache_key
from .connect import ConnectOptions, connect
from .limit import LimitedChatModel, shared_slots
from .openai_chat import OPENAI_DEFAULT_URL, Endpoint, OpenAIChatModel, TransientEndpointError
from .retry import RetryingChatModel, RetryPolicy
from .types import ChatMessage, ChatModel, ChatResponse, GenerationConfig, Usage, merge_system_messages

__all__ = [
    "CachingChatModel",
    "CallCache",
    "cache_key",
    "ConnectOptions",
    "connect",
    "OPENAI_DEFAULT_URL",
    "ChatMessage",
    "ChatModel",
    "ChatResponse",
    "Endpoint",
    "GenerationConfig",
    "LimitedChatModel",
    "OpenAIChatModel",
    "RetryPolicy",
    "RetryingChatModel",
    "TransientEndpointError",
    "Usage",
    "merge_system_messages",
    "shared_slots",
]
