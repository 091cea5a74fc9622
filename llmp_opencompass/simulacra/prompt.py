"""``prompt``: the character card as a persona system prompt, one call per answer."""

from __future__ import annotations

from collections.abc import Sequence

from ..data.records import Character
from ..llm.types import ChatMessage, ChatModel, GenerationConfig, merge_system_messages
from .base import SimulacrumReply, Stimulus
from .persona import persona_prompt

__all__ = ["PromptSimulacrum"]


class PromptSimulacrum:
    """Prepends the persona to the conversation's system message."""

    method = "prompt"

    def __init__(self, chat: ChatModel, character: Character, *, persona: str | None = None) -> None:
        self.chat = chat
        self.character = character
        self._persona = ChatMessage("system", persona or persona_prompt(character))

    def respond(
        self, conversation: Sequence[ChatMessage], config: GenerationConfig, stimulus: Stimulus | None = None
    ) -> SimulacrumReply:
        """One chat call: persona first, then the conversation."""
        response = self.chat.complete(merge_system_messages([self._persona, *conversation]), config)
        return SimulacrumReply(response.text, response.usage, finish_reason=response.finish_reason)
