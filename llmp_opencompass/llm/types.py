"""The one narrow chat protocol every part of the package talks through.

Simulacra, agents and judges call ``ChatModel.complete``; retry, rate limits,
caching and usage accounting wrap a ``ChatModel`` instead of living in it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol, runtime_checkable

__all__ = [
    "Role",
    "ChatMessage",
    "GenerationConfig",
    "Usage",
    "ChatResponse",
    "ChatModel",
    "merge_system_messages",
]

Role = Literal["system", "user", "assistant"]

DEFAULT_TEMPERATURE = 0.0
DEFAULT_MAX_TOKENS = 512


@dataclass(frozen=True)
class ChatMessage:
    """One message of a chat conversation."""

    role: Role
    """Who speaks: "system", "user" or "assistant"."""
    content: str
    """The text."""

    def to_openai(self) -> dict[str, str]:
        """The message as the OpenAI chat API expects it."""
        return {"role": self.role, "content": self.content}


@dataclass(frozen=True)
class GenerationConfig:
    """Every generation parameter that changes the output (so also part of cache keys)."""

    temperature: float = DEFAULT_TEMPERATURE
    """Sampling temperature; 0 is greedy and reproducible."""
    max_tokens: int = DEFAULT_MAX_TOKENS
    """Upper bound on generated tokens."""
    top_p: float | None = None
    """Nucleus sampling; None leaves the server default."""
    seed: int | None = None
    """Sampling seed, for servers that honour it."""
    stop: tuple[str, ...] = ()
    """Stop sequences."""


@dataclass(frozen=True)
class Usage:
    """Token accounting of one or more calls."""

    calls: int = 0
    """Number of chat calls."""
    prompt_tokens: int = 0
    """Prompt tokens as reported by the endpoint (0 when it reports none)."""
    completion_tokens: int = 0
    """Completion tokens as reported by the endpoint."""
    cut_replies: int = 0
    """Replies cut because they were far longer than ``max_tokens`` allows (see
    :func:`~llmp_opencompass.llm.openai_chat.cap_reply`)."""

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.calls + other.calls,
            self.prompt_tokens + other.prompt_tokens,
            self.completion_tokens + other.completion_tokens,
            self.cut_replies + other.cut_replies,
        )

    @property
    def total_tokens(self) -> int:
        """Prompt plus completion tokens."""
        return self.prompt_tokens + self.completion_tokens


@dataclass(frozen=True)
class ChatResponse:
    """What one chat call returned."""

    text: str
    """The assistant message."""
    finish_reason: str | None = None
    """"stop", "length", ... as reported by the endpoint."""
    usage: Usage = field(default_factory=lambda: Usage(calls=1))
    """Usage of this call."""


@runtime_checkable
class ChatModel(Protocol):
    """Anything that answers a chat conversation."""

    def complete(self, messages: Sequence[ChatMessage], config: GenerationConfig) -> ChatResponse:
        """Answer ``messages`` with the assistant's next message."""
        ...


def merge_system_messages(messages: Sequence[ChatMessage]) -> tuple[ChatMessage, ...]:
    """Fold every system message into one leading system message.

    Some servers keep only the last system message (FastChat's Llama-2 template),
    so a persona followed by a scene description must travel as one message.
    """
    system = [m.content for m in messages if m.role == "system"]
    rest = tuple(m for m in messages if m.role != "system")
    if not system:
        return rest
    return (ChatMessage("system", "\n\n".join(system)), *rest)
