"""The persona system prompt built from a character card (name, basic information
with ``Extra`` merged in, personality traits, biography)."""

from __future__ import annotations

from ..data.records import Character
from ..prompts import render

__all__ = ["persona_prompt"]


def persona_prompt(character: Character) -> str:
    """The system prompt that makes an LLM speak as ``character``."""
    traits = "\n".join(f"- {t}" for t in character.traits)
    return render(
        "persona",
        name=character.name,
        basic_information=character.basic_information(),
        personality_traits=traits,
        biography=character.biography.strip(),
    )
