"""What every simulacrum is: (conversation) -> reply, plus the LLM usage it cost."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from ..llm.types import ChatMessage, GenerationConfig, Usage

__all__ = ["SimulacrumReply", "Simulacrum"]


@dataclass(frozen=True)
class SimulacrumReply:
    """The simulacrum's answer to the last message of a conversation."""

    text: str
    """What the character says."""
    usage: Usage
    """Every LLM call made to produce it (calls and tokens)."""
    rounds: int = 1
    """Sequential rounds of calls (calls in one round run concurrently)."""


@runtime_checkable
class Simulacrum(Protocol):
    """A character simulated by an LLM with some method (blank, prompt, ...)."""

    method: str
    """The method's name."""

    def respond(self, conversation: Sequence[ChatMessage], config: GenerationConfig) -> SimulacrumReply:
        """Answer the conversation's last user message, in character."""
        ...
