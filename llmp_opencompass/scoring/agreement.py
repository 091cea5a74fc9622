"""Whether a reply agrees with a statement: yes, no, or unparsed (never guessed).

Cues are whole words or phrases, in any case (so "eyes" and "yesterday" are not "yes"):

- yes: "yes", "yeah", "yep", "yup", "agree", "agreed", "couldn't agree more";
- no: "no", "nope", "nah", "disagree", "not really", "not at all", and a negated
  agreement such as "I don't agree", "I do not really agree", "I can't agree".

Idioms that are not an answer ("no doubt", "no one", "no matter", "no longer", "no
wonder") are ignored. When the reply gives its answer after a marker ("Answer: No", the
paper protocol asks for one after a moment of thought), only what follows the last marker
counts. The first sentence decides when it holds any cue: "Yes. I have
no fear of heights." is yes. Otherwise the whole reply decides. Either way, cues of
both kinds ("yes... no", "yes and no") or none make the reply unparsed, and an
unparsed reply adds nothing to any score. The original counted every reply that
contained the letters "yes" anywhere as agreement.
"""

from __future__ import annotations

import re
from enum import Enum

__all__ = ["Agreement", "parse_agreement", "first_sentence"]


class Agreement(str, Enum):
    """A parsed yes/no reply."""

    YES = "yes"
    NO = "no"
    UNPARSED = "unparsed"


_NEGATORS = r"(?:do not|don't|dont|does not|doesn't|did not|didn't|cannot|can't|could not|would not|wouldn't|never)"
_YES_PHRASES = re.compile(r"\b(?:couldn't|could not|can't|cannot) agree more\b")
_NO_PHRASES = re.compile(
    rf"\b(?:{_NEGATORS} (?:really |quite |fully |entirely |completely )?agree|not really|not at all|disagree)\b"
)
_IDIOMS = re.compile(r"\bno (?:doubt|one|matter|longer|wonder)\b")
_YES = re.compile(r"\b(?:yes|yeah|yep|yup|agree|agreed|YESCUE)\b")
_NO = re.compile(r"\b(?:no|nope|nah|NOCUE)\b")
_ANSWER_MARKER = re.compile(r"\b(?:my )?answer(?: is)?\s*[:\-]", re.IGNORECASE)
# a sentence ends at one ".", "!" or "?" followed by a space or the end (not an ellipsis), or a newline
_SENTENCE_END = re.compile(r"(?<![.!?])[.!?](?![.!?])(?=\s|$)|\n")


def first_sentence(text: str) -> str:
    """The reply up to its first sentence end (an ellipsis does not end a sentence)."""
    return _SENTENCE_END.split(text.strip(), maxsplit=1)[0]


def _cues(text: str) -> set[Agreement]:
    text = text.lower().replace("’", "'")
    text = _YES_PHRASES.sub(" YESCUE ", text)
    text = _NO_PHRASES.sub(" NOCUE ", text)
    text = _IDIOMS.sub(" ", text)
    found = set()
    if _YES.search(text):
        found.add(Agreement.YES)
    if _NO.search(text):
        found.add(Agreement.NO)
    return found


def parse_agreement(reply: str) -> Agreement:
    """Yes, no or unparsed, by the rules in the module docstring."""
    marked = _ANSWER_MARKER.split(reply)
    if len(marked) > 1:  # "... Answer: No": only what follows the last marker counts
        reply = marked[-1]
    for span in (first_sentence(reply), reply):
        cues = _cues(span)
        if cues:
            return cues.pop() if len(cues) == 1 else Agreement.UNPARSED
    return Agreement.UNPARSED
