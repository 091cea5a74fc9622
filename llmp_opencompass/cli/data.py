"""The ``llmp-opencompass data`` subcommands: download, verify, info, manifest.

This is an edge of the package: it reads the environment (through
:func:`llmp_opencompass.settings.data.data_settings`) and the command line, then calls the
pure core.
Each subcommand returns an exit code; data errors propagate to the main CLI, which
prints them.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..data.download import download_files
from ..data.locate import DataSettings, cache_dir, locate_data
from ..data.manifest import build_manifest, check_files, find_characters_dir, load_manifest, write_manifest
from ..data.records import QuestionType
from ..data.store import HumanSimulacra
from ..settings.data import data_settings

if TYPE_CHECKING:
    from rich.table import Table

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``data`` command and its subcommands to the main parser's subparsers."""
    data = subparsers.add_parser(
        "data",
        help="find, download and check the Human Simulacra files",
        description="Find, download and check the Human Simulacra files.",
    )
    commands = data.add_subparsers(dest="data_command", metavar="SUBCOMMAND", required=True)

    download = commands.add_parser("download", help="download the pinned files into the cache (or --dest)")
    download.add_argument("--dest", type=Path, help="directory to hold LLMP/Characters (default: the cache)")
    download.add_argument(
        "--base-url", help="URL prefix of the pinned raw files (default: GitHub, or LLMP_DATA_BASE_URL)"
    )
    download.set_defaults(func=_download)

    verify = commands.add_parser("verify", help="check every pinned file's SHA-256")
    verify.add_argument(
        "--data-dir", type=Path, help="local copy to check (default: LLMP_DATA_DIR or the cache)"
    )
    verify.set_defaults(func=_verify)

    info = commands.add_parser("info", help="where the data comes from and what it holds")
    info.add_argument(
        "--data-dir",
        type=Path,
        help="local copy to describe (default: LLMP_DATA_DIR or the cache, downloading if needed)",
    )
    info.set_defaults(func=_info)

    manifest = commands.add_parser("manifest", help="(maintainers) rebuild the manifest from a local copy")
    manifest.add_argument(
        "--from", dest="source", type=Path, required=True, help="local copy of the pinned upstream commit"
    )
    manifest.add_argument("--out", type=Path, help="file to write (default: standard output)")
    manifest.set_defaults(func=_manifest)


def _settings() -> DataSettings:
    return data_settings(os.environ)


def _download(args: argparse.Namespace) -> int:
    settings = _settings()
    manifest = load_manifest()
    dest = args.dest if args.dest is not None else cache_dir(settings.cache_base, manifest.commit)
    report = download_files(
        manifest, dest, base_url=args.base_url or settings.base_url, progress=sys.stderr.isatty()
    )
    print(
        f"downloaded {len(report.downloaded)} files, {len(report.present)} already present and verified, "
        f"into {dest}"
    )
    return 0


def _verify(args: argparse.Namespace) -> int:
    settings = _settings()
    manifest = load_manifest()
    data_dir = args.data_dir or settings.data_dir or cache_dir(settings.cache_base, manifest.commit)
    characters_dir = find_characters_dir(data_dir)
    statuses = check_files(characters_dir, manifest)
    problems = [s for s in statuses if s.status != "ok"]
    for status in problems:
        detail = (
            "" if status.actual is None else f" (expected sha256 {status.expected}, actual {status.actual})"
        )
        print(f"{status.status.upper()} {status.path}{detail}")
    if problems:
        print(
            f"{len(problems)} of {len(statuses)} files are missing or corrupt in {characters_dir}; restore "
            "them with `llmp-opencompass data download --dest DIR` (DIR holds LLMP/Characters)"
        )
        return 1
    print(
        f"OK {len(statuses)} files match the manifest of {manifest.repo}@{manifest.commit} "
        f"in {characters_dir}"
    )
    return 0


def _info(args: argparse.Namespace) -> int:
    from rich.console import Console

    settings = _settings()
    manifest = load_manifest()
    location = locate_data(
        args.data_dir or settings.data_dir,
        settings.cache_base,
        download=settings.download,
        base_url=settings.base_url,
        manifest=manifest,
        progress=sys.stderr.isatty(),
    )
    store = HumanSimulacra(location.characters_dir, manifest=manifest, verify=settings.verify)
    console = Console(highlight=False)
    console.print(f"data: {location.describe()}", markup=False)
    verify = "on" if store.verify else "off"
    console.print(
        f"upstream: {manifest.repo}@{manifest.commit} (SHA-256 verification {verify})", markup=False
    )
    console.print(_character_table(store))
    return 0


def _character_table(store: HumanSimulacra) -> Table:
    """One row per character: items per type, Open-Ended availability, story paragraphs, memories."""
    from rich.table import Table

    counts = {name: _character_counts(store, name) for name in store.names()}
    totals = [sum(column) for column in zip(*counts.values(), strict=True)]
    table = Table(title="Human Simulacra characters", show_footer=True)
    table.add_column("character", "total", no_wrap=True)
    for header, total in zip(
        ("cloze", "single", "multiple", "open-ended", "paragraphs", "memories"), totals, strict=True
    ):
        table.add_column(header, str(total), justify="right")
    for name, row in counts.items():
        cells = [str(n) for n in row]
        cells[3] = f"yes ({row[3]})" if row[3] else "no"
        table.add_row(name, *cells)
    return table


def _character_counts(store: HumanSimulacra, name: str) -> tuple[int, ...]:
    """Items per question type (Open-Ended: with text), story paragraphs, memory entries."""
    items = tuple(len(store.questions(name, qtype)) for qtype in QuestionType)
    return (*items, len(store.story(name).paragraphs), len(store.memory(name).entries))


def _manifest(args: argparse.Namespace) -> int:
    manifest = build_manifest(args.source)
    if args.out is None:
        print(json.dumps(manifest.to_json(), indent=2, ensure_ascii=False))
    else:
        write_manifest(manifest, args.out)
        print(
            f"wrote {len(manifest.files)} entries ({manifest.total_size} bytes of data) to {args.out}",
            file=sys.stderr,
        )
    return 0
