"""The persona system prompt built from a character card (name, basic information
with ``Extra`` merged in, personality traits, biography)."""

from __future__ import annotations

from ..data.records import Character
from ..prompts import render

__all__ = ["persona_prompt", "traits_list"]


def persona_prompt(character: Character, *, closing: bool = False) -> str:
    """The system prompt that makes an LLM speak as ``character``; ``closing`` adds the original's
    closing request to answer and show the personality (the paper protocol)."""
    persona = render(
        "persona",
        name=character.name,
        basic_information=character.basic_information(),
        personality_traits=traits_list(character),
        biography=character.biography.strip(),
    )
    return f"{persona}\n\n{render('persona_closing', name=character.name)}" if closing else persona


def traits_list(character: Character) -> str:
    """The personality traits, one ``- `` line each."""
    return "\n".join(f"- {t}" for t in character.traits)
