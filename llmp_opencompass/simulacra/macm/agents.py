"""The MACM agents that write text: thinking, emotion and the memory summariser.

Each agent is one chat call with its own instruction. The thinking and emotion
agents speak as the character (header: name, basic information, traits; the thinking
agent also reads the biography); the summariser is a neutral indexer.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...data.records import Character
from ...llm.types import ChatMessage, ChatModel, ChatResponse, GenerationConfig
from ...prompts import render

__all__ = ["ThinkingAgent", "EmotionAgent", "SummaryAgent", "character_header"]


def character_header(character: Character, *, with_biography: bool) -> str:
    """Who the agent speaks as: name, basic information, traits (and the biography)."""
    biography = f"\n\n== Your life so far ==\n{character.biography.strip()}" if with_biography else ""
    return render(
        "macm_header",
        name=character.name,
        basic_information=character.basic_information(),
        personality_traits="\n".join(f"- {t}" for t in character.traits),
        biography_section=biography,
    )


@dataclass(frozen=True)
class _Agent:
    chat: ChatModel
    """Where the agent's calls go."""
    character: Character
    """Whom the agent speaks as (or about)."""

    def _ask(self, header: str, instruction: str, text: str, config: GenerationConfig) -> ChatResponse:
        system = f"{header}\n\n{render(instruction)}" if header else render(instruction)
        return self.chat.complete([ChatMessage("system", system), ChatMessage("user", text)], config)


class ThinkingAgent(_Agent):
    """The character's thoughts: about a question now, or about a remembered moment."""

    def thoughts_now(self, query: str, config: GenerationConfig) -> ChatResponse:
        """Momentary thoughts about ``query`` (at most 30 words)."""
        return self._ask(character_header(self.character, with_biography=True), "macm_think_now", query, config)

    def recollect(self, fragment: str, config: GenerationConfig) -> ChatResponse:
        """A story fragment retold as a first-person memory (at most 100 words)."""
        return self._ask(character_header(self.character, with_biography=False), "macm_recollect", fragment, config)

    def reflect(self, recollection: str, config: GenerationConfig) -> ChatResponse:
        """The inner thoughts in a remembered moment (at most 50 words)."""
        header = character_header(self.character, with_biography=False)
        return self._ask(header, "macm_reflect", recollection, config)


class EmotionAgent(_Agent):
    """The character's feelings: about a question now, or about a story fragment."""

    def feelings_now(self, query: str, config: GenerationConfig) -> ChatResponse:
        """Momentary feelings and mood about ``query`` (at most 30 words)."""
        return self._ask(character_header(self.character, with_biography=False), "macm_feel_now", query, config)

    def feel(self, fragment: str, config: GenerationConfig) -> ChatResponse:
        """Feelings about the events, people and places of a fragment (at most 100 words)."""
        header = character_header(self.character, with_biography=False)
        return self._ask(header, "macm_feel_fragment", fragment, config)


class SummaryAgent(_Agent):
    """The memory agent's indexer: a one-sentence summary (at most 20 words)."""

    def summarize(self, recollection: str, feelings: str, config: GenerationConfig) -> ChatResponse:
        """Summary of a memory and its emotional tone."""
        text = render("macm_summarize_input", name=self.character.name, recollection=recollection, feelings=feelings)
        return self._ask("", "macm_summarize", text, config)
