"""Whole-phrase matching shared by the cloze and the option-text parsers.

A phrase is a sequence of words (runs of letters and digits, apostrophes inside
a word allowed). It matches a text when the same words, in any case, appear
consecutively in the text as whole words, separated by any run of whitespace or
punctuation: "Forestry worker" matches "forestry  worker", "Forestry-worker"
and "forestry/worker"; "low-income, extended family" matches "low income
extended family". A number never matches inside a longer number or a decimal:
"29" matches "29", "29-year-old" and "29." but not "129", "290" or "29.5".
"""

from __future__ import annotations

import re

__all__ = ["phrase_pattern"]

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_APOSTROPHE = re.compile(r"['’]")
_SEPARATOR = r"[\W_]+"
_START = r"(?<![^\W_])(?<![^\W_]['’])(?<!\d[.,])"
_END = r"(?![^\W_])(?!['’][^\W_])(?![.,]\d)"


def _word_pattern(word: str) -> str:
    """A word as a regex; straight and curly apostrophes are equivalent."""
    return "['’]".join(re.escape(part) for part in _APOSTROPHE.split(word))


def phrase_pattern(phrase: str) -> re.Pattern[str] | None:
    """Compile the whole-phrase, case-insensitive pattern for ``phrase``.

    Returns:
        The pattern, or None when the phrase holds no word (blank or only punctuation).
    """
    words = _WORD.findall(phrase)
    if not words:
        return None
    body = _SEPARATOR.join(_word_pattern(word) for word in words)
    return re.compile(_START + body + _END, re.IGNORECASE)
