"""Simulacra: each turns (character, conversation) into a reply plus the LLM usage it cost."""

from .base import Simulacrum, SimulacrumReply, Stimulus
from .blank import BlankSimulacrum
from .factory import METHODS, build_simulacrum, check_method, needs
from .macm import MacmSimulacrum
from .options import RETRIEVALS, MethodOptions
from .persona import persona_prompt
from .prompt import PromptSimulacrum
from .rag import RagSimulacrum

__all__ = [
    "METHODS",
    "RETRIEVALS",
    "BlankSimulacrum",
    "MacmSimulacrum",
    "MethodOptions",
    "PromptSimulacrum",
    "RagSimulacrum",
    "Simulacrum",
    "SimulacrumReply",
    "Stimulus",
    "build_simulacrum",
    "check_method",
    "needs",
    "persona_prompt",
]
