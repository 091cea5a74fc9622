"""How every caller reaches its endpoint, and which endpoints, as the environment says.

| variable | meaning | default |
|---|---|---|
| ``OPENAI_BASE_URL`` | base URL of the endpoint, ending in ``/v1`` | OpenAI |
| ``LLMP_MODEL`` | the served model's name | required |
| ``OPENAI_API_KEY`` | API key, read at request time (never here) | ``EMPTY`` |
| ``LLMP_AGENT_MODEL`` / ``LLMP_AGENT_BASE_URL`` | MACM agents' model and base URL | the answering model |
| ``LLMP_CONCURRENCY`` | LLM calls in flight per process (per OpenCompass task) | 4 |
| ``LLMP_RETRIES`` | attempts per call on 429/5xx/timeouts/dropped connections | 6 |
| ``LLMP_RETRY_MAX_WAIT`` | longest wait between attempts, in seconds | 60 |
| ``LLMP_TIMEOUT`` | seconds one attempt waits for its response | 300 |
| ``LLMP_MAX_CALL_TIME`` | longest a call may take, in seconds, all attempts and waits included | 600 |
| ``LLMP_CACHE`` | ``off`` disables the persistent call cache | on |
| ``LLMP_CACHE_LAYOUT`` | ``auto``, ``sqlite`` or ``shards`` (see :mod:`.locations`) | auto |
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from ..errors import ConfigError
from ..llm import OPENAI_DEFAULT_URL, ConnectOptions, Endpoint, RetryPolicy
from ..llm.openai_chat import DEFAULT_TIMEOUT
from ..llm.retry import DEFAULT_MAX_CALL_TIME
from . import env as read
from .locations import cache_layout, call_cache_file, in_cluster_job

__all__ = ["DEFAULT_CONCURRENCY", "agent_endpoint", "answer_endpoint", "connect_options", "for_this_process"]

DEFAULT_CONCURRENCY = 4
_DEFAULT_RETRY = RetryPolicy()
_SHORTEST_TIMEOUT = 0.1


def connect_options(env: Mapping[str, str], *, cache: bool = True, this_process: bool = True) -> ConnectOptions:
    """Retries, time limits, call cache and call limit; ``cache=False`` (``--no-cache``) turns the
    cache off.

    With ``this_process`` (commands that make their calls themselves), an ``auto`` cache
    layout is decided here; without (config builders, whose tasks may run on other hosts),
    it stays ``auto`` for :func:`for_this_process` in the task.
    """
    options = ConnectOptions(
        retry=RetryPolicy(
            max_attempts=read.integer(env, "LLMP_RETRIES", _DEFAULT_RETRY.max_attempts, minimum=1),
            max_wait=read.number(env, "LLMP_RETRY_MAX_WAIT", _DEFAULT_RETRY.max_wait, minimum=0.0),
            max_call_time=read.number(env, "LLMP_MAX_CALL_TIME", DEFAULT_MAX_CALL_TIME, minimum=_SHORTEST_TIMEOUT),
        ),
        cache_file=call_cache_file(env) if cache else None,
        cache_layout=cache_layout(env),
        concurrency=read.integer(env, "LLMP_CONCURRENCY", DEFAULT_CONCURRENCY, minimum=1),
        timeout=read.number(env, "LLMP_TIMEOUT", DEFAULT_TIMEOUT, minimum=_SHORTEST_TIMEOUT),
    )
    return for_this_process(options, env) if this_process else options


def for_this_process(options: ConnectOptions, env: Mapping[str, str]) -> ConnectOptions:
    """``options`` with an ``auto`` cache layout decided for the process whose environment is
    ``env``: a shard of its own inside a Slurm job, else the SQLite file."""
    if options.cache_layout != "auto":
        return options
    return replace(options, cache_layout="shards" if in_cluster_job(env) else "sqlite")


def answer_endpoint(env: Mapping[str, str]) -> Endpoint:
    """The answering model: ``LLMP_MODEL`` at ``OPENAI_BASE_URL``."""
    model = read.text(env, "LLMP_MODEL")
    if not model:
        raise ConfigError(
            "LLMP_MODEL is not set: set it to the model name your endpoint serves, e.g. "
            "OPENAI_BASE_URL=http://127.0.0.1:8000/v1 LLMP_MODEL=llama-2-7b-chat (or LLMP_MODEL=gpt-4o-mini "
            "with OPENAI_API_KEY for OpenAI); `make demo` and `llmp-opencompass serve -- ...` set both for the "
            "embedded model"
        )
    return Endpoint(model=model, base_url=read.url(env, "OPENAI_BASE_URL", OPENAI_DEFAULT_URL))


def agent_endpoint(env: Mapping[str, str], answering: Endpoint) -> Endpoint:
    """MACM agents' model: ``LLMP_AGENT_MODEL`` at ``LLMP_AGENT_BASE_URL``, else the answering one."""
    return Endpoint(
        model=read.text(env, "LLMP_AGENT_MODEL", answering.model),
        base_url=read.url(env, "LLMP_AGENT_BASE_URL", answering.base_url),
    )
