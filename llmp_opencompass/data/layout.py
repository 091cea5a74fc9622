"""The layout of a character folder: one user-made character, usable like a built-in one.

::

    DIR/
      profile.json            the drawn profile (``profile.Profile``), incl. the Jung order
      card.json               one card in the ``character_introductions.json`` format
                              (ID, Name, Basic_infos, Personality_traits, Extra, Content)
      story.txt               the life story, one paragraph per line
      story/                  expansion checkpoints: iteration-NNN.txt, state.json
      story-review.md         what each expansion step changed, for a person to check
      Questions/<Type>.json   Cloze, Single_choice, Multiple_choices (+ Open-Ended), upstream format
      Memories/index.json     MACM long-term memory, upstream format
      Memories/long_memory.json

Only ``card.json`` is required for a folder to be a character; each later step adds its
files. The paths are relative to the folder; :class:`CharacterFolder` resolves them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "PROFILE",
    "CARD",
    "STORY",
    "STORY_CHECKPOINTS",
    "STORY_REVIEW",
    "QUESTIONS",
    "MEMORIES",
    "CharacterFolder",
]

PROFILE = "profile.json"
CARD = "card.json"
STORY = "story.txt"
STORY_CHECKPOINTS = "story"
STORY_REVIEW = "story-review.md"
QUESTIONS = "Questions"
MEMORIES = "Memories"


@dataclass(frozen=True)
class CharacterFolder:
    """The paths of one character folder (nothing is read here)."""

    root: Path

    @property
    def profile(self) -> Path:
        return self.root / PROFILE

    @property
    def card(self) -> Path:
        return self.root / CARD

    @property
    def story(self) -> Path:
        return self.root / STORY

    @property
    def checkpoints(self) -> Path:
        return self.root / STORY_CHECKPOINTS

    @property
    def review(self) -> Path:
        return self.root / STORY_REVIEW

    @property
    def questions_dir(self) -> Path:
        return self.root / QUESTIONS

    def questions(self, type_value: str) -> Path:
        """``Questions/<type>.json`` (``type_value`` as ``QuestionType.value``, e.g. "Cloze")."""
        return self.root / QUESTIONS / f"{type_value}.json"

    @property
    def memories(self) -> Path:
        return self.root / MEMORIES
