"""Folding the call cache's shards together: ``llmp-opencompass cache merge``.

Shards accumulate, one per process that ran on a cluster's node. A merge, run on the
host that owns the SQLite file (the one where you run ``opencompass``), when no job is
running:

1. adds every entry of the shards to the SQLite file (an entry already there is kept);
2. writes everything the SQLite file now holds as one new shard, so that processes on
   the nodes, which read shards only, also see the answers of local runs; it appears
   under its final name at once (written aside, then renamed);
3. removes the shards it read, except those changed in the last ``min_age`` seconds
   (a process may still be writing them; they are merged next time).
"""

from __future__ import annotations

import os
import secrets
import socket
import time
from dataclasses import dataclass
from pathlib import Path

from .cache import CallCache
from .shards import SHARD_DIR, SHARD_SUFFIX, read_shard, shard_line

__all__ = ["MergeReport", "merge_shards"]


@dataclass(frozen=True)
class MergeReport:
    """What a merge did."""

    shards_read: int
    """Shards merged (and removed)."""
    shards_left: int
    """Shards left alone because they changed in the last ``min_age`` seconds."""
    added: int
    """Entries new to the SQLite file."""
    total: int
    """Entries in the SQLite file, and in the one merged shard, after the merge."""
    merged_shard: Path | None
    """The shard holding every entry (None when there was nothing to write)."""


def merge_shards(cache_file: Path, *, min_age: float = 60.0) -> MergeReport:
    """Merge the shards beside ``cache_file`` into it and into one shard; see the module docstring."""
    directory = Path(cache_file).parent / SHARD_DIR
    now = time.time()
    shards = sorted(directory.glob(f"*{SHARD_SUFFIX}")) if directory.is_dir() else []
    ready = [p for p in shards if now - p.stat().st_mtime >= min_age]
    cache = CallCache(Path(cache_file))
    try:
        added = cache.add_missing(entry for path in ready for entry in read_shard(path))
        total = len(cache)
        merged = _write_merged(directory, cache) if total and (ready or not shards) else None
    finally:
        cache.close()
    for path in ready:
        path.unlink(missing_ok=True)
    return MergeReport(len(ready), len(shards) - len(ready), added, total, merged)


def _write_merged(directory: Path, cache: CallCache) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    name = f"merged-{socket.gethostname()}-{time.strftime('%Y%m%dT%H%M%S')}-{secrets.token_hex(4)}"
    final, aside = directory / f"{name}{SHARD_SUFFIX}", directory / f".{name}.tmp"
    with aside.open("wb") as out:
        for key, response in cache.items():
            out.write(shard_line(key, response))
        out.flush()
        os.fsync(out.fileno())
    os.replace(aside, final)
    return final
