"""A ``ChatModel`` over any OpenAI-compatible ``/v1/chat/completions`` endpoint.

Uses the official ``openai`` SDK with its own retries switched off: retrying is the
job of :class:`llmp_opencompass.llm.retry.RetryingChatModel`. The API key is read
from the environment when a request is made and is never stored on the object, so
it cannot end up in a dumped config, a log or a cache; it is redacted from every error
message and reply (:mod:`.redact`), since servers may echo it back. A reply far longer
than ``max_tokens`` allows is cut (:func:`cap_reply`) and counted in ``Usage.cut_replies``.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import ConfigError, EndpointError
from .budget import attempt_timeout
from .redact import redact_error, redact_reply
from .types import ChatMessage, ChatResponse, GenerationConfig, Usage
from .urls import base_url_problem

if TYPE_CHECKING:  # the SDK is imported by the first request: a run answered from the call cache never needs it
    import openai

__all__ = [
    "CHARS_PER_TOKEN",
    "DEFAULT_TIMEOUT",
    "Endpoint",
    "MIN_REPLY_CHARS",
    "OpenAIChatModel",
    "TransientEndpointError",
    "OPENAI_DEFAULT_URL",
    "cap_reply",
]

OPENAI_DEFAULT_URL = "https://api.openai.com/v1"
DEFAULT_TIMEOUT = 300.0
"""Seconds one attempt waits for its response (``LLMP_TIMEOUT``)."""
CHARS_PER_TOKEN = 16
"""Characters kept per requested token: more than any tokenizer spends on text."""
MIN_REPLY_CHARS = 4096
"""Characters always kept, however small ``max_tokens`` is."""
_NO_KEY = "EMPTY"  # local servers (llama.cpp, FastChat, vLLM) accept any key
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Endpoint:
    """Where and what to ask. Holds the *name* of the key's variable, never the key."""

    model: str
    """Model name as the server knows it (``LLMP_MODEL``)."""
    base_url: str = OPENAI_DEFAULT_URL
    """Base URL ending in ``/v1`` (``OPENAI_BASE_URL``)."""
    api_key_env: str = "OPENAI_API_KEY"
    """Environment variable read for the API key at request time."""
    timeout: float = DEFAULT_TIMEOUT
    """Seconds to wait for one response (one attempt)."""

    def __post_init__(self) -> None:
        problem = base_url_problem(self.base_url)
        if problem:
            raise ConfigError(f"base URL {self.base_url!r} of model {self.model!r} {problem}")


class TransientEndpointError(EndpointError):
    """A failure worth retrying: 429, 5xx, timeout, dropped connection, malformed body,
    empty message."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        """Seconds the server asked us to wait (``Retry-After``), if it did."""


class OpenAIChatModel:
    """Chat completions through the ``openai`` SDK, one request per call."""

    def __init__(self, endpoint: Endpoint) -> None:
        self.endpoint = endpoint
        self._clients: dict[str, openai.OpenAI] = {}
        self._lock = threading.Lock()

    def complete(self, messages: Sequence[ChatMessage], config: GenerationConfig) -> ChatResponse:
        """Send one chat completion request; raise ``EndpointError`` on failure.

        The attempt waits at most ``endpoint.timeout`` seconds, less when the call's
        budget (:mod:`.budget`) has less left. The key is redacted from every error
        message and from the reply.
        """
        import openai

        key = self._key()
        try:
            completion = self._client(key).chat.completions.create(
                model=self.endpoint.model,
                messages=[m.to_openai() for m in messages],  # type: ignore[misc]
                timeout=attempt_timeout(self.endpoint.timeout),
                **_request_options(config),
            )
        except openai.APIError as exc:  # not chained: the SDK's exception may quote the key
            raise _classify(exc, self.endpoint, key) from None
        except ValueError as exc:  # a 200 whose body is not JSON
            message = redact_error(f"{self._where()}: malformed response body: {exc}", key)
            raise TransientEndpointError(message) from None
        return _to_response(completion, self.endpoint, config, key)

    def _where(self) -> str:
        return f"{self.endpoint.base_url} (model {self.endpoint.model!r})"

    def _key(self) -> str:
        return os.environ.get(self.endpoint.api_key_env) or _NO_KEY

    def _client(self, key: str) -> openai.OpenAI:
        import openai

        with self._lock:
            client = self._clients.get(key)
            if client is None:
                client = openai.OpenAI(
                    api_key=key,
                    base_url=self.endpoint.base_url,
                    timeout=self.endpoint.timeout,
                    max_retries=0,
                )
                self._clients = {key: client}  # keep one: a rotated key replaces the old client
            return client


def _request_options(config: GenerationConfig) -> dict[str, object]:
    options: dict[str, object] = {"temperature": config.temperature, "max_tokens": config.max_tokens}
    if config.top_p is not None:
        options["top_p"] = config.top_p
    if config.seed is not None:
        options["seed"] = config.seed
    if config.stop:
        options["stop"] = list(config.stop)
    return options


def _to_response(completion: object, endpoint: Endpoint, config: GenerationConfig, key: str) -> ChatResponse:
    choices = getattr(completion, "choices", None)
    if not choices:
        raise TransientEndpointError(f"{endpoint.base_url}: response has no choices")
    choice = choices[0]
    content = getattr(choice.message, "content", None)
    if not isinstance(content, str) or not content.strip():
        # an empty message is a failed call (overloaded servers do this), not an answer to score
        raise TransientEndpointError(f"{endpoint.base_url}: response message has empty content")
    text, cut = cap_reply(redact_reply(content, key), config.max_tokens)
    if cut:
        _log.warning(
            "%s (model %r): a reply of %d characters to max_tokens=%d was cut to its first %d characters "
            "(at most %d characters per token are kept); the prediction's usage counts it in cut_replies",
            endpoint.base_url, endpoint.model, len(content), config.max_tokens, len(text), CHARS_PER_TOKEN,
        )  # fmt: skip
    usage = getattr(completion, "usage", None)
    return ChatResponse(
        text=text,
        finish_reason=getattr(choice, "finish_reason", None),
        usage=Usage(
            calls=1,
            prompt_tokens=int(getattr(usage, "prompt_tokens", 0) or 0),
            completion_tokens=int(getattr(usage, "completion_tokens", 0) or 0),
            cut_replies=int(cut),
        ),
    )


def cap_reply(text: str, max_tokens: int) -> tuple[str, bool]:
    """``text`` cut to what ``max_tokens`` tokens can plausibly hold, and whether it was cut.

    No tokenizer spends more than a few characters per token on text; a reply far longer
    than that (a misbehaving server, a proxy's error page sent as content) is cut to
    ``CHARS_PER_TOKEN`` per token (at least ``MIN_REPLY_CHARS``) before it is stored or parsed.
    """
    limit = max(MIN_REPLY_CHARS, CHARS_PER_TOKEN * max_tokens)
    return (text, False) if len(text) <= limit else (text[:limit], True)


def _classify(exc: openai.APIError, endpoint: Endpoint, key: str) -> EndpointError:
    import openai

    where = f"{endpoint.base_url} (model {endpoint.model!r})"
    if isinstance(exc, openai.APIConnectionError):  # includes timeouts
        return TransientEndpointError(redact_error(f"{where}: {_describe(exc)}", key))
    if isinstance(exc, openai.APIStatusError):
        status = exc.status_code
        message = redact_error(f"{where}: HTTP {status}: {exc.message}", key)
        if status == 429 or status >= 500:
            return TransientEndpointError(message, _retry_after(exc))
        return EndpointError(f"{message}{_hint(status, endpoint)}")
    # malformed or truncated body (APIResponseValidationError, JSON errors surfacing as APIError)
    return TransientEndpointError(redact_error(f"{where}: {_describe(exc)}", key))


def _describe(exc: BaseException) -> str:
    """The exception and its cause (the SDK's connection errors hide the real one there)."""
    text = f"{type(exc).__name__}: {exc}"
    cause = exc.__cause__
    return f"{text} ({type(cause).__name__}: {cause})" if cause is not None and str(cause) else text


def _retry_after(exc: openai.APIStatusError) -> float | None:
    value = exc.response.headers.get("retry-after") if exc.response is not None else None
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None


def _hint(status: int, endpoint: Endpoint) -> str:
    if status in (401, 403):
        return f" (check the API key in ${endpoint.api_key_env})"
    if status == 404:
        return " (check OPENAI_BASE_URL and that LLMP_MODEL names a model the server serves)"
    return ""
