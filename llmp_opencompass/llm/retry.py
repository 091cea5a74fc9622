"""Bounded retries with exponential backoff and jitter, as a wrapper around any ``ChatModel``.

Only :class:`TransientEndpointError` is retried (429, 5xx, timeouts, dropped
connections, malformed bodies); a ``Retry-After`` from the server is honoured up to
``max_wait``. A call, all its attempts and waits included, takes at most
``max_call_time`` seconds (see :mod:`.budget`). When the attempts or the time run out,
an ``EndpointError`` naming the endpoint and the last error is raised: an unanswered
item is never turned into an empty answer. How to resume is the caller's to say.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_after_attempt
from tenacity.wait import wait_random_exponential

from ..errors import EndpointError
from .budget import CallBudget, call_budget
from .openai_chat import TransientEndpointError
from .types import ChatMessage, ChatModel, ChatResponse, GenerationConfig

__all__ = ["DEFAULT_MAX_CALL_TIME", "RetryPolicy", "RetryingChatModel"]

DEFAULT_MAX_CALL_TIME = 600.0
"""Seconds a call may take, attempts and waits included (``LLMP_MAX_CALL_TIME``)."""
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try before giving up."""

    max_attempts: int = 6
    """Total attempts per call, the first included."""
    initial_wait: float = 1.0
    """Scale of the exponential backoff, in seconds."""
    max_wait: float = 60.0
    """Longest single wait, in seconds (also caps ``Retry-After``)."""
    max_call_time: float | None = DEFAULT_MAX_CALL_TIME
    """Longest a call may take, in seconds: every attempt and every wait between them
    (time queueing for a call slot not counted); None sets no bound."""

    def __post_init__(self) -> None:
        if not isinstance(self.max_attempts, int) or isinstance(self.max_attempts, bool) or self.max_attempts < 1:
            raise ValueError(f"max_attempts must be a whole number of at least 1, got {self.max_attempts!r}")
        for name in ("initial_wait", "max_wait", "max_call_time"):
            value = getattr(self, name)
            if value is None and name == "max_call_time":
                continue
            if not isinstance(value, int | float) or isinstance(value, bool) or not 0 <= value < math.inf:
                raise ValueError(f"{name} must be a finite number of seconds, at least 0, got {value!r}")


class RetryingChatModel:
    """Wraps a ``ChatModel`` and retries its transient failures."""

    def __init__(self, inner: ChatModel, policy: RetryPolicy | None = None, name: str = "endpoint") -> None:
        self.inner = inner
        self.policy = policy or RetryPolicy()
        self.name = name
        self._backoff = wait_random_exponential(multiplier=self.policy.initial_wait, max=self.policy.max_wait)

    def complete(self, messages: Sequence[ChatMessage], config: GenerationConfig) -> ChatResponse:
        """Call the inner model, retrying transient errors within the policy."""
        with call_budget(self.policy.max_call_time) as budget:
            retrying = Retrying(
                stop=stop_after_attempt(self.policy.max_attempts) | _out_of_time(budget),
                wait=self._wait,
                retry=retry_if_exception_type(TransientEndpointError),
                before_sleep=self._log_retry,
                reraise=True,
            )
            try:
                return retrying(self.inner.complete, messages, config)
            except TransientEndpointError as exc:
                attempts = retrying.statistics.get("attempt_number", self.policy.max_attempts)
                raise EndpointError(f"{exc} -- {self._giving_up(attempts)}") from exc

    def _giving_up(self, attempts: int) -> str:
        out_of_time = attempts < self.policy.max_attempts  # stopped early: the call's time ran out
        spent = f" in {self.policy.max_call_time:g} s, the longest a call may take" if out_of_time else ""
        return (
            f"giving up after {attempts} attempts{spent}; check that the endpoint is up and reachable "
            "(LLMP_RETRIES, LLMP_RETRY_MAX_WAIT, LLMP_TIMEOUT and LLMP_MAX_CALL_TIME set how hard to try)"
        )

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        retry_after = getattr(exc, "retry_after", None)
        if retry_after is not None:
            return min(float(retry_after), self.policy.max_wait)
        return float(self._backoff(state))

    def _log_retry(self, state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        _log.warning("%s: attempt %d failed (%s); retrying", self.name, state.attempt_number, exc)


def _out_of_time(budget: CallBudget) -> Callable[[RetryCallState], bool]:
    """Stop when the wait before the next attempt would use up the call's time."""

    def stop(state: RetryCallState) -> bool:
        return budget.remaining() - state.upcoming_sleep <= 0

    return stop
