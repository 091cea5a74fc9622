"""The runs of an OpenCompass work directory: ``<workdir>/<YYYYmmdd_HHMMSS>/`` (``opencompass -w``)."""

from __future__ import annotations

import re
from pathlib import Path

from .errors import ConfigError

__all__ = ["find_run_dir"]

_RUN_NAME = re.compile(r"^\d{8}_\d{6}$")


def find_run_dir(workdir: Path, *, holding: str = "results") -> Path:
    """``workdir`` when it is a run holding ``holding/``, else its latest timestamped run that does.

    Raises:
        ConfigError: no such directory, or no run holding ``holding/`` in it.
    """
    if not workdir.is_dir():
        raise ConfigError(f"{workdir} is not a directory; pass the -w directory of an opencompass run")
    if (workdir / holding).is_dir():
        return workdir
    runs = sorted(p for p in workdir.iterdir() if _RUN_NAME.match(p.name) and (p / holding).is_dir())
    if not runs:
        raise ConfigError(
            f"no OpenCompass run with {holding} under {workdir}: pass the -w directory of a finished run "
            f"(it holds <YYYYmmdd_HHMMSS>/{holding}/) or one of its timestamped runs"
        )
    return runs[-1]
