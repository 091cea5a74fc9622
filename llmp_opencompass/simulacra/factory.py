"""Build a simulacrum by method name."""

from __future__ import annotations

from ..data.records import Character
from ..errors import ConfigError
from ..llm.types import ChatModel
from .base import Simulacrum
from .blank import BlankSimulacrum
from .prompt import PromptSimulacrum

__all__ = ["METHODS", "build_simulacrum", "check_method"]

METHODS: tuple[str, ...] = ("blank", "prompt")
"""Methods available in this version (RAG and MACM join them behind the same interface)."""


def check_method(method: str) -> str:
    """Return ``method`` if known, else raise ``ConfigError`` listing the valid ones."""
    if method not in METHODS:
        raise ConfigError(f"unknown simulacrum method {method!r}; valid methods: {', '.join(METHODS)}")
    return method


def build_simulacrum(method: str, chat: ChatModel, character: Character) -> Simulacrum:
    """The simulacrum of ``character`` for ``method``, talking through ``chat``."""
    if check_method(method) == "blank":
        return BlankSimulacrum(chat)
    return PromptSimulacrum(chat, character)
