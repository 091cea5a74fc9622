"""Small helpers over a conversation (a sequence of chat messages)."""

from __future__ import annotations

import math
from collections.abc import Sequence

from ..llm.types import ChatMessage

__all__ = ["last_user_message", "estimate_tokens"]


def last_user_message(conversation: Sequence[ChatMessage]) -> str:
    """The text of the last user message: what the character is asked now."""
    for message in reversed(conversation):
        if message.role == "user":
            return message.content
    raise ValueError("the conversation has no user message to answer")


def estimate_tokens(text: str) -> int:
    """Rough token count: characters / 4, rounded up (close for English prose with
    BPE tokenizers; no tokenizer download needed)."""
    return math.ceil(len(text) / 4)
