"""What the interactive commands (``chat``, ``memory``) read from the environment.

The endpoint variables are those of the OpenCompass configs: ``OPENAI_BASE_URL``,
``LLMP_MODEL`` (required), ``OPENAI_API_KEY`` (read per request), and for MACM's agents
``LLMP_AGENT_MODEL`` / ``LLMP_AGENT_BASE_URL`` (default: the answering endpoint).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from .data.locate import DataSettings, default_cache_base, open_store
from .data.store import HumanSimulacra
from .errors import ConfigError
from .llm import OPENAI_DEFAULT_URL, ChatModel, Endpoint, cache_path, connect

__all__ = ["answer_endpoint", "agent_endpoint", "chat_model", "store_from_environment", "index_cache_dir"]


def answer_endpoint(env: Mapping[str, str]) -> Endpoint:
    """The answering model: ``LLMP_MODEL`` at ``OPENAI_BASE_URL``."""
    model = env.get("LLMP_MODEL", "").strip()
    if not model:
        raise ConfigError(
            "LLMP_MODEL is not set: set it (and OPENAI_BASE_URL) to the model your endpoint serves, "
            "or run under `llmp-opencompass serve -- ...` for the embedded model"
        )
    return Endpoint(model=model, base_url=env.get("OPENAI_BASE_URL", "").strip() or OPENAI_DEFAULT_URL)


def agent_endpoint(env: Mapping[str, str], answering: Endpoint) -> Endpoint:
    """MACM agents' model: ``LLMP_AGENT_MODEL`` at ``LLMP_AGENT_BASE_URL``, else the answering one."""
    return Endpoint(
        model=env.get("LLMP_AGENT_MODEL", "").strip() or answering.model,
        base_url=env.get("LLMP_AGENT_BASE_URL", "").strip() or answering.base_url,
    )


def chat_model(endpoint: Endpoint, env: Mapping[str, str]) -> ChatModel:
    """The endpoint with bounded retries and the persistent call cache (unless ``LLMP_CACHE=off``)."""
    return connect(endpoint, cache=cache_path(env, default_cache_base(env)))


def store_from_environment(env: Mapping[str, str]) -> HumanSimulacra:
    """The Human Simulacra data (``LLMP_DATA_DIR``, else the user cache, else a download)."""
    return open_store(DataSettings.from_environment(env), progress=True)


def index_cache_dir(env: Mapping[str, str]) -> Path:
    """Where vector indexes are cached: ``LLMP_INDEX_CACHE_DIR``, else ``<cache base>/indexes``."""
    override = env.get("LLMP_INDEX_CACHE_DIR", "").strip()
    return Path(override).expanduser() if override else default_cache_base(env) / "indexes"
