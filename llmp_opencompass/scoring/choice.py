"""Parse the option letters a reply chooses.

Rules, applied to the text :func:`~llmp_opencompass.scoring.answer.answer_segment`
selects:

1. A letter is a choice when it stands alone: not inside a word or number, not part
   of a contraction ("it's"), an abbreviation ("e.g.", "U.S.A.") or a hyphenated word
   ("T-shirt", "e-mail", "plan-B"). So ``B``, ``B.``, ``(b)``, ``b)``, ``**C**``,
   ``'C'``, ``Option C``, ``Answer: C``, ``C, E and F`` and ``C/E/F`` all count.
2. Letters beyond the item's options never count (``E`` is no choice for 4 options).
3. After the answer marker either case counts. Without it only capitals count, and
   lower-case letters written as an option label, i.e. directly followed by ``)``
   (``(b)``, ``b)``).
4. ``A`` (or ``a`` where lower case counts) is an article, not a choice, when it is
   followed by spaces or tabs and then a word that may follow an article ("A good
   question", "a tough one"). It is a choice at the end of the text or of a line,
   before punctuation ("A.", "A,", "A)", "A &", "A -"), before a single letter
   ("A C E"), before a word that cannot follow an article ("A and C", "A or B",
   "A is right", "A because ...") and before option A's own text.
5. Only when no letter was found, an option's full text quoted without its letter
   counts as that option (whole phrase, case-insensitive, whitespace and punctuation
   between words ignored, trailing period optional; see ``_text``). A match inside
   the match of a longer option ("volunteering" inside "volunteering abroad") is
   ignored, and so is the text of an option that another option repeats word for
   word (upstream Leslie Nichols, Multiple_choices 1: C and D are both "playing
   football"): the text cannot tell them apart.
"""

from __future__ import annotations

import re
import string
from collections.abc import Sequence

from llmp_opencompass.scoring._text import phrase_pattern
from llmp_opencompass.scoring.answer import answer_segment

__all__ = ["parse_choices"]

_LETTER = re.compile(
    r"(?<![^\W_])(?<![^\W_]['’.])(?<![^\W_]{2}-)"  # not inside a word, contraction, abbreviation
    r"([A-Za-z])"
    r"(?![^\W_])(?!['’.][^\W_])(?!-[^\W_]{2})"
)
_NEXT_WORD = re.compile(r"[ \t]+([^\W_][\w'’-]*)")

# Words that cannot follow the article "a", so "A <word>" names option A.
_NOT_AFTER_ARTICLE = frozenset(
    """
    and or nor but because since so then though although whereas if unless as than
    is are was were be been being seems seem sounds fits matches describes reflects
    represents captures applies suits resonates would could should does did has had
    makes feels looks of for with from in on at to by about into
    i me my you your he she it its we they this that these those which who the an a
    too also only not instead again here option options answer either each both all
    """.split()  # noqa: SIM905 (a word list reads better as text)
)


def _is_article(text: str, end: int, first_option: str) -> bool:
    """Whether the ``A``/``a`` ending at ``end`` is the indefinite article."""
    follower = _NEXT_WORD.match(text, end)
    if follower is None:
        return False
    word = follower.group(1).lower()
    if len(word) == 1 or word in _NOT_AFTER_ARTICLE:
        return False
    own_text = phrase_pattern(first_option)
    return own_text is None or own_text.match(text, follower.start(1)) is None


def _letters(text: str, options: Sequence[str], marked: bool) -> set[str]:
    """The option letters named in ``text``."""
    found: set[str] = set()
    for match in _LETTER.finditer(text):
        letter = match.group(1)
        upper = letter.upper()
        if string.ascii_uppercase.index(upper) >= len(options) or upper in found:
            continue
        if letter.islower() and not marked and not text.startswith(")", match.end()):
            continue
        if upper == "A" and _is_article(text, match.end(), options[0]):
            continue
        found.add(upper)
    return found


def _option_texts(text: str, options: Sequence[str]) -> set[str]:
    """Letters of the options whose full text appears in ``text``."""
    spans: list[tuple[int, int, str]] = []
    for letter, option in zip(string.ascii_uppercase, options, strict=False):
        pattern = phrase_pattern(option)
        if pattern is not None:
            spans.extend((m.start(), m.end(), letter) for m in pattern.finditer(text))

    def covered(span: tuple[int, int, str]) -> bool:
        start, end, letter = span
        return any(s <= start and end <= e for s, e, other in spans if other != letter)

    return {span[2] for span in spans if not covered(span)}


def parse_choices(reply: str, options: Sequence[str]) -> tuple[str, ...]:
    """The letters a reply chooses for a choice item.

    Args:
        reply: The model's whole reply.
        options: The displayed option texts, in displayed order, without labels;
            option ``i`` is letter ``"ABC..."[i]``.

    Returns:
        Sorted, distinct upper-case letters; empty when nothing was chosen.
    """
    text, marked = answer_segment(reply)
    if not options or not text.strip():
        return ()
    found = _letters(text, options, marked) or _option_texts(text, options)
    return tuple(sorted(found))
