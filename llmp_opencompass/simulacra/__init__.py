"""Simulacra: each turns (character, conversation) into a reply plus the LLM usage it cost."""

from .base import Simulacrum, SimulacrumReply
from .blank import BlankSimulacrum
from .factory import METHODS, build_simulacrum, check_method
from .persona import persona_prompt
from .prompt import PromptSimulacrum

__all__ = [
    "METHODS",
    "BlankSimulacrum",
    "PromptSimulacrum",
    "Simulacrum",
    "SimulacrumReply",
    "build_simulacrum",
    "check_method",
    "persona_prompt",
]
