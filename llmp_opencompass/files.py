"""Atomic file writes: a reader, or a crash, sees the old file or the new one, never half of one.

Files are created with mode ``0o666`` less the process umask, like ``open(path, "w")``
would, so predictions, memories and caches get the same permissions as every other file
the user writes (``tempfile.mkstemp`` would make them ``0o600``).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import BinaryIO

__all__ = ["open_temp_beside", "write_text_atomic"]

_MODE = 0o666
_ATTEMPTS = 100


def open_temp_beside(path: Path, suffix: str = ".tmp") -> tuple[BinaryIO, Path]:
    """A new, uniquely named file opened for binary writing in ``path``'s directory (created if
    needed), with the umask's permissions; the caller replaces ``path`` with it or removes it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for _ in range(_ATTEMPTS):
        temp = path.parent / f".{path.name}.{secrets.token_hex(6)}{suffix}"
        try:
            handle = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, _MODE)
        except FileExistsError:
            continue
        return os.fdopen(handle, "wb"), temp
    raise FileExistsError(f"no free temporary name beside {path} after {_ATTEMPTS} attempts")


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8, ``\\n`` line ends) to a temporary file beside ``path``, then move it
    over ``path``; the directory is created if needed."""
    out, temp = open_temp_beside(path)
    try:
        with out:
            out.write(text.encode("utf-8"))
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
