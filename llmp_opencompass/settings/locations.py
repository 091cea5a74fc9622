"""Where the package keeps what it caches: the one resolution of each directory and file.

| variable | meaning | default |
|---|---|---|
| ``LLMP_CACHE_DIR`` | cache base: data, call cache, indexes, FastChat state | see :func:`cache_base` |
| ``LLMP_CACHE`` | ``off`` disables the persistent LLM call cache | on |
| ``LLMP_INDEX_CACHE_DIR`` | where retrieval indexes and results are cached | ``<cache base>/indexes`` |
| ``LLMP_CACHE_LAYOUT`` | what a process writes: ``sqlite``, ``shards`` or ``auto`` | auto |

``auto`` means: ``shards`` inside a Slurm job (``SLURM_JOB_ID`` is set, as in every
``srun`` step), else ``sqlite``. It is decided by the process that makes the calls
(a task on a compute node), not by the one that parses the config.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ..errors import ConfigError
from ..llm.cache import CACHE_FILE
from ..llm.connect import CACHE_LAYOUTS, CacheLayout
from . import env as read

__all__ = ["ENV_CACHE_DIR", "cache_base", "cache_layout", "call_cache_file", "in_cluster_job", "index_cache_dir"]

ENV_CACHE_DIR = "LLMP_CACHE_DIR"


def cache_base(env: Mapping[str, str]) -> Path:
    """``LLMP_CACHE_DIR``, else ``$XDG_CACHE_HOME/llmp_opencompass``, else ``~/.cache/llmp_opencompass``."""
    explicit = read.path(env, ENV_CACHE_DIR)
    if explicit is not None:
        return explicit
    xdg = read.path(env, "XDG_CACHE_HOME")
    if xdg is not None:
        return xdg / "llmp_opencompass"
    home = Path(env["HOME"]) if env.get("HOME") else Path.home()
    return home / ".cache" / "llmp_opencompass"


def call_cache_file(env: Mapping[str, str]) -> Path | None:
    """``<cache base>/llm_calls.sqlite``, or None when ``LLMP_CACHE`` is off."""
    return cache_base(env) / CACHE_FILE if read.switch(env, "LLMP_CACHE", True) else None


def index_cache_dir(env: Mapping[str, str]) -> Path:
    """``LLMP_INDEX_CACHE_DIR``, else ``<cache base>/indexes``."""
    return read.path(env, "LLMP_INDEX_CACHE_DIR") or cache_base(env) / "indexes"


def cache_layout(env: Mapping[str, str]) -> CacheLayout:
    """``LLMP_CACHE_LAYOUT``: ``auto`` (default), ``sqlite`` or ``shards``."""
    layout = read.text(env, "LLMP_CACHE_LAYOUT", "auto").lower()
    if layout not in CACHE_LAYOUTS:
        raise ConfigError(
            f"LLMP_CACHE_LAYOUT={layout!r}: use auto, sqlite (one host) or shards (processes on several hosts)"
        )
    return layout  # type: ignore[return-value]


def in_cluster_job(env: Mapping[str, str]) -> bool:
    """Whether this process runs inside a Slurm job (an ``srun`` step or a batch script)."""
    return bool(read.text(env, "SLURM_JOB_ID"))
