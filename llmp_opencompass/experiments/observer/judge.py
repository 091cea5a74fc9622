"""An LLM judge that rates how well an Open-Ended answer fits the character (1-5).

The judge sees the character card (basic information, personality traits,
biography), the situation and the answer, and rates it on the rubric published in
the template ``prompts/observer_judge.txt`` (5: clearly this person ... 1: not this
person). Its reply must end with "Rating: N". A reply without a readable rating
leaves the answer *unrated*: it is counted as such, never given a number. Results
record the judge's model and the template's name and SHA-256, so a rating can be
traced to the exact rubric that produced it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from ...data.records import Character
from ...llm.types import ChatMessage, ChatModel, GenerationConfig
from ...prompts import render, template

__all__ = [
    "JUDGE_TEMPLATE",
    "JudgeVerdict",
    "character_card",
    "judge_messages",
    "judge_template_sha256",
    "parse_rating",
    "rate_answer",
]

JUDGE_TEMPLATE = "observer_judge"
"""The prompt template holding the judge's instructions and rubric."""

_RATING_LINE = re.compile(r"\brating\b\W{0,5}([1-5])\b(?!\s*[.,]\d)", re.IGNORECASE)
_OUT_OF_FIVE = re.compile(r"\b([1-5])\s*(?:/|out of)\s*5\b", re.IGNORECASE)


@dataclass(frozen=True)
class JudgeVerdict:
    """The judge's rating of one answer."""

    rating: int | None
    """1..5, or None when the reply holds no readable rating (unrated, not scored)."""
    reply: str
    """The judge's whole reply."""


def judge_template_sha256() -> str:
    """SHA-256 of the judge template's text (recorded with every judged result)."""
    return hashlib.sha256(template(JUDGE_TEMPLATE).encode("utf-8")).hexdigest()


def character_card(character: Character) -> str:
    """What the judge knows about the character: basic information, traits and biography."""
    traits = "\n".join(f"- {t}" for t in character.traits)
    return f"{character.basic_information()}\n\nPersonality:\n{traits}\n\nBiography:\n{character.biography.strip()}"


def judge_messages(character: Character, scenario: str, answer: str) -> tuple[ChatMessage, ...]:
    """The judge's prompt: one user message rendered from :data:`JUDGE_TEMPLATE`."""
    text = render(JUDGE_TEMPLATE, card=character_card(character), scenario=scenario, name=character.name, answer=answer)
    return (ChatMessage("user", text),)


def parse_rating(reply: str) -> int | None:
    """The rating in a judge reply: the last "Rating: N" (N in 1..5), else a lone "N/5" or
    "N out of 5"; None when there is neither or the forms disagree."""
    ratings = [int(m) for m in _RATING_LINE.findall(reply)]
    if ratings:
        return ratings[-1]
    scores = {int(m) for m in _OUT_OF_FIVE.findall(reply)}
    return scores.pop() if len(scores) == 1 else None


def rate_answer(
    chat: ChatModel, character: Character, scenario: str, answer: str, config: GenerationConfig
) -> JudgeVerdict:
    """Ask the judge; endpoint failures raise (after the chat model's retries), never become a rating."""
    response = chat.complete(judge_messages(character, scenario, answer), config)
    return JudgeVerdict(parse_rating(response.text), response.text)
