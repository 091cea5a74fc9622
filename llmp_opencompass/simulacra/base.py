"""What every simulacrum is: (conversation, stimulus) -> reply, plus the LLM usage it cost."""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from ..llm.types import ChatMessage, GenerationConfig, Usage
from .conversation import last_user_message

__all__ = ["SimulacrumReply", "Simulacrum", "Stimulus"]


@dataclass(frozen=True)
class Stimulus:
    """What the character is asked, apart from the scene and the answer-format instruction:
    a questionnaire item with its displayed options, a Jung statement, a bandwagon trial,
    or the user's own message in a chat. Retrieval and MACM's agents look at this; the
    answering call sees the whole conversation."""

    text: str
    """The question (or statement, trial, message) itself."""
    options: tuple[str, ...] = ()
    """Displayed choice options in displayed order, without their letters (none for open items)."""

    @property
    def query(self) -> str:
        """The question followed by its options, one per line as shown (``A. <text>``)."""
        lines = [f"{letter}. {option}" for letter, option in zip(string.ascii_uppercase, self.options, strict=False)]
        return "\n".join([self.text.strip(), *lines])

    @classmethod
    def of(cls, conversation: Sequence[ChatMessage]) -> Stimulus:
        """The last user message as the stimulus (a chat, or a caller that gives none)."""
        return cls(last_user_message(conversation))

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready form."""
        return {"text": self.text, "options": list(self.options)}

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Stimulus:
        """The inverse of :meth:`to_dict`."""
        options = data.get("options") or ()
        if not isinstance(data.get("text"), str) or not isinstance(options, list | tuple):
            raise ValueError(f"a stimulus needs a text and a list of options, got {dict(data)!r}")
        return cls(str(data["text"]), tuple(str(o) for o in options))


@dataclass(frozen=True)
class SimulacrumReply:
    """The simulacrum's answer to the last message of a conversation."""

    text: str
    """What the character says."""
    usage: Usage
    """Every LLM call made to produce it (calls and tokens)."""
    rounds: int = 1
    """Sequential rounds of calls (calls in one round run concurrently)."""
    finish_reason: str | None = None
    """Why the answering call stopped ("stop", "length" when cut off by the token limit)."""


@runtime_checkable
class Simulacrum(Protocol):
    """A character simulated by an LLM with some method (blank, prompt, ...)."""

    method: str
    """The method's name."""

    def respond(
        self, conversation: Sequence[ChatMessage], config: GenerationConfig, stimulus: Stimulus | None = None
    ) -> SimulacrumReply:
        """Answer the conversation's last user message, in character; ``stimulus`` is what that
        message asks (default: the whole last user message)."""
        ...
