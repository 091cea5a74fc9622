"""``llmp-opencompass cache``: what the LLM call cache holds, and folding its shards together.

The cache is one SQLite file (``<LLMP_CACHE_DIR>/llm_calls.sqlite``), written by the
processes of one host, plus the directory ``llm_calls.d`` of shards, one per process
that ran on a cluster's node (see README, "Scaling out"). ``cache merge`` adds the shards
to the SQLite file and rewrites them as one shard; run it on the host where you run
``opencompass``, when no job is running.
"""

from __future__ import annotations

import argparse
import os

from ..llm.cache import CACHE_FILE, CallCache
from ..llm.merge import merge_shards
from ..llm.shards import SHARD_DIR, SHARD_SUFFIX, read_shards
from ..settings.locations import cache_base

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``cache`` subcommand (``info``, ``merge``)."""
    parser = subparsers.add_parser("cache", help="the LLM call cache: info, merge the shards of cluster runs")
    actions = parser.add_subparsers(dest="cache_command", metavar="ACTION", required=True)
    info = actions.add_parser("info", help="where the cache is and how many answers it holds")
    info.set_defaults(func=_info)
    merge = actions.add_parser("merge", help="fold the shards into the SQLite file and into one shard",
                               description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    merge.add_argument("--min-age", type=float, default=60.0,
                       help="leave shards changed in the last SECONDS alone (default 60)")  # fmt: skip
    merge.set_defaults(func=_merge)


def _info(args: argparse.Namespace) -> int:
    cache_file = cache_base(os.environ) / CACHE_FILE
    shards = sorted((cache_file.parent / SHARD_DIR).glob(f"*{SHARD_SUFFIX}"))
    stored = len(CallCache(cache_file)) if cache_file.is_file() else 0
    in_shards = len({key for key, _ in read_shards(cache_file.parent / SHARD_DIR)})
    print(f"{cache_file}: {stored} answers")
    print(f"{cache_file.parent / SHARD_DIR}: {len(shards)} shards, {in_shards} answers")
    return 0


def _merge(args: argparse.Namespace) -> int:
    report = merge_shards(cache_base(os.environ) / CACHE_FILE, min_age=args.min_age)
    print(
        f"merged {report.shards_read} shards ({report.added} new answers; {report.total} in all, "
        f"now also in {report.merged_shard or 'no shard'}); {report.shards_left} shards changed in the last "
        f"{args.min_age:g} s were left for next time"
    )
    return 0
