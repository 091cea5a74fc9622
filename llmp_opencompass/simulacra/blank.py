"""``blank``: the bare LLM, with no character information at all (the baseline)."""

from __future__ import annotations

from collections.abc import Sequence

from ..llm.types import ChatMessage, ChatModel, GenerationConfig, merge_system_messages
from .base import SimulacrumReply, Stimulus

__all__ = ["BlankSimulacrum"]


class BlankSimulacrum:
    """Sends the conversation as it is: one call per answer."""

    method = "blank"

    def __init__(self, chat: ChatModel) -> None:
        self.chat = chat

    def respond(
        self, conversation: Sequence[ChatMessage], config: GenerationConfig, stimulus: Stimulus | None = None
    ) -> SimulacrumReply:
        """One chat call on the unchanged conversation (the stimulus needs nothing more)."""
        response = self.chat.complete(merge_system_messages(conversation), config)
        return SimulacrumReply(response.text, response.usage, finish_reason=response.finish_reason)
