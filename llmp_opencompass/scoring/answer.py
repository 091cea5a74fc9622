"""Locate the part of a reply that holds the answer.

The prompts ask the model to finish with "The answer is ...". When the reply
contains "the answer is" or "the answers are" (any case, any whitespace between
the words), only the text after the last occurrence is read; otherwise the
whole reply is. "The answer isn't" is not the marker.
"""

from __future__ import annotations

import re

__all__ = ["answer_segment"]

_MARKER = re.compile(r"\bthe\s+(?:answer\s+is|answers\s+are)\b", re.IGNORECASE)


def answer_segment(reply: str) -> tuple[str, bool]:
    """Split off the text to read.

    Args:
        reply: The model's whole reply.

    Returns:
        ``(text, marked)``: the text after the last answer marker and True, or the
        whole reply and False when there is no marker.
    """
    markers = list(_MARKER.finditer(reply))
    if not markers:
        return reply, False
    return reply[markers[-1].end() :], True
