"""Keep API keys out of every message, log line and stored reply.

A server may echo the request back: a 401 body quoting the ``Authorization`` header, a
proxy's error page, a reply that repeats its input. The key is read from the
environment at request time, so only the code that made the request knows it: it passes
each error message and reply through :func:`redact_error` or :func:`redact_reply` before
anything else sees it.
"""

from __future__ import annotations

import re

__all__ = ["REDACTED", "redact_error", "redact_reply"]

REDACTED = "[redacted]"
_PLACEHOLDERS = frozenset({"", "EMPTY", "none", "None"})
_MIN_ERROR_SECRET = 4
"""Shorter keys are not redacted from error text (they would mangle it and protect nothing)."""
_MIN_REPLY_SECRET = 8
"""Shorter keys are not redacted from replies, which are data to score."""
_BEARER = re.compile(r"(?i)\b(bearer|api[-_ ]?key[\"']?\s*[:=])\s*[\"']?[^\s\"',;}]+")


def _without(text: str, secret: str | None, minimum: int) -> str:
    if secret is None or secret in _PLACEHOLDERS or len(secret) < minimum:
        return text
    return text.replace(secret, REDACTED)


def redact_error(text: str, secret: str | None) -> str:
    """``text`` without ``secret`` and without any ``Bearer <token>`` or ``api_key: <token>``."""
    return _BEARER.sub(lambda m: f"{m.group(1)} {REDACTED}", _without(text, secret, _MIN_ERROR_SECRET))


def redact_reply(text: str, secret: str | None) -> str:
    """``text`` without ``secret`` (a model reply: nothing else is touched)."""
    return _without(text, secret, _MIN_REPLY_SECRET)
