"""A multi-turn conversation with a simulacrum, kept within a token budget.

The history (the user's and the character's turns) is trimmed before each reply:
the oldest exchanges are dropped until the estimated size (characters / 4) fits the
budget; the newest message is always kept. The scene is a system message sent with
every turn. The original kept every message forever and repeated the transcript
inside each turn's context, so long chats outgrew the model's window.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..llm.types import ChatMessage, GenerationConfig, Usage
from .base import Simulacrum, SimulacrumReply
from .conversation import estimate_tokens

__all__ = ["ChatSession", "trim_history"]


def trim_history(history: Sequence[ChatMessage], budget_tokens: int) -> tuple[ChatMessage, ...]:
    """The newest messages whose estimated size fits ``budget_tokens``, starting with a user turn."""
    kept: list[ChatMessage] = []
    used = 0
    for message in reversed(history):
        used += estimate_tokens(message.content)
        if kept and used > budget_tokens:
            break
        kept.insert(0, message)
    while len(kept) > 1 and kept[0].role != "user":
        kept.pop(0)  # never start in the middle of an exchange
    return tuple(kept)


@dataclass
class ChatSession:
    """The state of one chat: the simulacrum, the scene and the history."""

    simulacrum: Simulacrum
    """Who answers."""
    scene: str
    """System message describing the situation."""
    config: GenerationConfig
    """Generation settings of the replies."""
    history_tokens: int = 2048
    """Budget of the history, in estimated tokens."""
    history: list[ChatMessage] = field(default_factory=list)
    """Every turn so far (trimmed copies are sent)."""
    usage: Usage = field(default_factory=Usage)
    """LLM usage of the whole session."""

    def ask(self, text: str) -> SimulacrumReply:
        """Send the user's ``text``; return (and remember) the character's reply."""
        self.history.append(ChatMessage("user", text))
        conversation = [ChatMessage("system", self.scene), *trim_history(self.history, self.history_tokens)]
        try:
            reply = self.simulacrum.respond(conversation, self.config)
        except BaseException:
            self.history.pop()
            raise
        self.history.append(ChatMessage("assistant", reply.text.strip()))
        self.usage += reply.usage
        return reply
