"""What makes a base URL usable: an ``http``/``https`` scheme and a host.

Without a scheme (``127.0.0.1:8000/v1``) the HTTP client fails every request with a
connection error that looks transient, so retries would spend minutes on a typo. The
check runs when a config or an :class:`~llmp_opencompass.llm.openai_chat.Endpoint` is
built, and its message says what to write instead.
"""

from __future__ import annotations

from urllib.parse import urlsplit

__all__ = ["base_url_problem"]

_SCHEMES = ("http", "https")


def base_url_problem(url: str) -> str | None:
    """What is wrong with ``url`` as an endpoint's base URL, as the end of a sentence; None if fine."""
    text = url.strip()
    if not text:
        return "is empty: give the endpoint's base URL, e.g. http://127.0.0.1:8000/v1"
    if "://" not in text:
        return f"has no scheme: write http://{text.lstrip('/')} (or https://...)"
    parts = urlsplit(text)
    if parts.scheme.lower() not in _SCHEMES:
        return f"has the scheme {parts.scheme!r}: use http:// or https://"
    try:
        port = parts.port
    except ValueError:
        return "has a port that is not a number from 0 to 65535"
    if not parts.hostname:
        return f"has no host: write e.g. {parts.scheme}://127.0.0.1{':' + str(port) if port else ''}/v1"
    return None
