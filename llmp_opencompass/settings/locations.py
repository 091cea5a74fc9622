"""Where the package keeps what it caches: the one resolution of each directory and file.

| variable | meaning | default |
|---|---|---|
| ``LLMP_CACHE_DIR`` | cache base: data, call cache, indexes, FastChat state | see :func:`cache_base` |
| ``LLMP_CACHE`` | ``off`` disables the persistent LLM call cache | on |
| ``LLMP_INDEX_CACHE_DIR`` | where retrieval indexes and results are cached | ``<cache base>/indexes`` |

The lock files of ``LLMP_ENDPOINT_SLOTS`` are run-time state of this machine, not cache:
they live in ``$XDG_RUNTIME_DIR`` (else ``$TMPDIR``, else ``/tmp``), never on a shared disk.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from ..llm.cache import CACHE_FILE
from . import env as read

__all__ = ["ENV_CACHE_DIR", "cache_base", "call_cache_file", "index_cache_dir", "slot_dir"]

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


def slot_dir(env: Mapping[str, str]) -> Path:
    """``<run-time dir>/llmp_opencompass-<uid>/slots``: the endpoints' call-slot lock files."""
    runtime = read.path(env, "XDG_RUNTIME_DIR") or read.path(env, "TMPDIR") or Path("/tmp")
    return runtime / f"llmp_opencompass-{os.getuid()}" / "slots"
