"""Match a free-text (Cloze) reply against its accepted answers.

Only the text :func:`~llmp_opencompass.scoring.answer.answer_segment` selects is read.

* **Words and phrases** ("Male", "Mary Jones", "Forestry worker", "29") match as
  whole words, case-insensitively, with any whitespace or punctuation between the
  words of a phrase (see ``_text``): "female" does not match "Male", "129" does
  not match "29", and "forestry-worker" matches "Forestry worker". Hyphen and space
  are deliberately equivalent. Ages must be written as digits ("twenty-nine" does
  not match "29").
* **Dates.** A gold answer written ``YYYY-MM-DD`` matches any date in the text
  that denotes the same day, written as ``1994-06-27``, ``1994/06/27``,
  ``1994.06.27`` (zero padding optional), ``June 27, 1994``, ``June 27th 1994``,
  ``Jun. 27, 1994``, ``27 June 1994`` or ``27th of June, 1994`` (month names in
  full or as 3-letter abbreviations, "Sept" too, any case). Numeric day-first or
  month-first forms (``06/27/1994``) are not read: they are ambiguous.
* **Hedging.** When the gold answer belongs to a closed set of alternatives (the
  genders), a reply that also names another member ("male or female") does not
  match: listing candidates earned credit in the original.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence

from llmp_opencompass.scoring._text import phrase_pattern
from llmp_opencompass.scoring.answer import answer_segment

__all__ = ["match_cloze"]

_GOLD_DATE = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})\s*")
_CLOSED_SETS: tuple[frozenset[str], ...] = (frozenset({"male", "female", "non-binary"}),)
_MONTH = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![a-z])\.?"
)
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(\d{4})(?!\d)"
_ISO_DATE = re.compile(r"(?<![\d.,/-])(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?![\d/-])")
_MONTH_DAY_YEAR = re.compile(rf"(?<![a-z]){_MONTH}\s+{_DAY},?\s+{_YEAR}", re.IGNORECASE)
_DAY_MONTH_YEAR = re.compile(rf"(?<![\d.]){_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}", re.IGNORECASE)


def _month_number(name: str) -> int:
    """1-12 for a month name or abbreviation matched by ``_MONTH``."""
    abbreviations = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
    return abbreviations.index(name[:3].lower()) + 1


def _date(year: str, month: int | str, day: str) -> dt.date | None:
    """The date, or None when it does not exist (``1994-02-30``)."""
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def _dates(text: str) -> Iterator[dt.date]:
    """Every valid date written in ``text``, in the accepted formats."""
    candidates = [_date(m[1], m[3], m[4]) for m in _ISO_DATE.finditer(text)]
    candidates += [_date(m[3], _month_number(m[1]), m[2]) for m in _MONTH_DAY_YEAR.finditer(text)]
    candidates += [_date(m[3], _month_number(m[2]), m[1]) for m in _DAY_MONTH_YEAR.finditer(text)]
    return (date for date in candidates if date is not None)


def _gold_date(gold: str) -> dt.date | None:
    """The date a ``YYYY-MM-DD`` gold answer denotes, or None for other answers."""
    match = _GOLD_DATE.fullmatch(gold)
    return _date(match[1], match[2], match[3]) if match else None


def _matches(text: str, gold: str) -> bool:
    """Whether ``text`` gives the answer ``gold``."""
    date = _gold_date(gold)
    if date is not None:
        return date in set(_dates(text))
    return _says(text, gold) and not any(_says(text, rival) for rival in _rivals(gold))


def _says(text: str, phrase: str) -> bool:
    pattern = phrase_pattern(phrase)
    return pattern is not None and pattern.search(text) is not None


def _rivals(gold: str) -> frozenset[str]:
    """The other members of the closed set ``gold`` belongs to (empty for open answers)."""
    key = gold.strip().lower()
    return next((members - {key} for members in _CLOSED_SETS if key in members), frozenset())


def match_cloze(reply: str, gold: Sequence[str]) -> str | None:
    """The first accepted answer the reply gives.

    Args:
        reply: The model's whole reply.
        gold: The accepted answers; blank ones never match.

    Returns:
        The matching entry of ``gold`` (as given), or None.
    """
    text, _ = answer_segment(reply)
    return next((answer for answer in gold if _matches(text, answer)), None)
