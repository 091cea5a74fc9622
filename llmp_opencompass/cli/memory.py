"""``llmp-opencompass memory build``: build MACM's long-term memory of characters.

For one of the dataset's characters, the card and life story come from the data
(``LLMP_DATA_DIR`` or the cache); for a new character, give ``--card`` (a JSON object
in the format of ``character_introductions.json``, or a list of them holding the
name) and ``--story`` (a text file, one paragraph per line). Writes ``index.json`` and
``long_memory.json`` into ``--out`` (default ``Memories/<Name>``, or the ``Memories``
folder of a character made with ``llmp-opencompass character`` and listed in
``LLMP_EXTRA_CHARACTERS``). An interrupted build resumes where it stopped when run
again with the same arguments. Endpoint: ``OPENAI_BASE_URL`` and ``LLMP_MODEL``
(``LLMP_AGENT_MODEL`` / ``LLMP_AGENT_BASE_URL`` when set, since the memory is written by
MACM's agents).

Several characters (``--character`` again, or ``--all``) are built one after another,
or, with ``--slurm -p PARTITION``, as one Slurm job each through OpenCompass's
``SlurmRunner`` (``-q``, ``--qos``, ``--max-num-workers``, ``--retry`` as in
``opencompass``; logs in ``--work-dir``). Then a character whose memory is complete is
skipped; run it again to finish the ones that failed or were cancelled.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import replace
from pathlib import Path

from ..data.records import Character, Story
from ..data.store import HumanSimulacra
from ..data.user_files import load_card, load_story
from ..errors import ConfigError, EndpointError
from ..llm import GenerationConfig, connect
from ..settings.connection import agent_endpoint, answer_endpoint, connect_options
from ..settings.data import open_data
from ..simulacra.macm import LONG_MEMORY_FILE, build_memory, checkpoint_files

__all__ = ["register"]

_RESUME = "the fragments built so far are kept in {out}: run the same command again to finish the memory"


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``memory`` subcommand (``memory build``)."""
    parser = subparsers.add_parser("memory", help="build MACM long-term memories")
    actions = parser.add_subparsers(dest="memory_command", metavar="ACTION", required=True)
    build = actions.add_parser(
        "build", help="build characters' long-term memory from their life story", description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip
    build.add_argument("--character", action="append", default=[], help='character name, e.g. "Mary Jones" '
                       "(again for several)")  # fmt: skip
    build.add_argument("--all", action="store_true", help="every character of the data (and LLMP_EXTRA_CHARACTERS)")
    build.add_argument("--out", type=Path, help="output directory of one character (default: Memories/<Name>; "
                       "DIR/Memories for a made character)")  # fmt: skip
    build.add_argument("--story", type=Path, help="life story text file (new character)")
    build.add_argument("--card", type=Path, help="character card JSON file (new character)")
    build.add_argument(
        "--workers", type=int, default=4,
        help="calls in flight at once (default 4), taken from the earliest fragments with a call ready",
    )  # fmt: skip
    build.add_argument("--max-tokens", type=int, default=256, help="max tokens per agent reply (default 256)")
    build.add_argument("--no-progress", action="store_true", help="no progress bar")
    build.add_argument("--no-cache", action="store_true", help="do not use the persistent LLM call cache")
    cluster = build.add_argument_group("Slurm (one job per character)")
    cluster.add_argument("--slurm", action="store_true", help="submit one job per character with srun")
    cluster.add_argument("-p", "--partition", help="Slurm partition (required with --slurm)")
    cluster.add_argument("-q", "--quotatype", help="Slurm quota type")
    cluster.add_argument("--qos", help="Slurm quality of service")
    cluster.add_argument("--max-num-workers", type=int, default=1, help="jobs at once (default 1)")
    cluster.add_argument("--retry", type=int, default=2, help="submissions again after a job fails (default 2)")
    cluster.add_argument("-w", "--work-dir", type=Path, default=Path("outputs/memory"),
                         help="where the job logs go (default outputs/memory)")  # fmt: skip
    build.set_defaults(func=_build)


def _build(args: argparse.Namespace) -> int:
    _check(args)
    if args.card is not None:
        character, story = load_card(args.card, args.character[0]), load_story(args.story, args.character[0])
        return _build_one(args, character, story, args.out or Path("Memories") / character.name)
    store = open_data(os.environ)
    names = store.names() if args.all else tuple(store.character(n).name for n in dict.fromkeys(args.character))
    outs = {name: _out(args, store, name) for name in names}
    if len(names) == 1 and not args.slurm:
        return _build_one(args, store.character(names[0]), store.story(names[0]), outs[names[0]])
    todo = [name for name in names if not _finished(outs[name])]
    for name in sorted(set(names) - set(todo)):
        print(f"{name}: memory already built in {outs[name]} (delete it to build it again)")
    if args.slurm:
        return _fan_out(args, store, todo, outs)
    for name in todo:
        _build_one(args, store.character(name), store.story(name), outs[name])
    return 0


def _check(args: argparse.Namespace) -> None:
    if not args.character and not args.all:
        raise ConfigError("name a character with --character NAME (again for several), or give --all")
    if (args.story is None) != (args.card is None):
        raise ConfigError("give both --story and --card for a new character, or neither for a dataset character")
    if args.card is not None and (len(args.character) != 1 or args.all or args.slurm):
        raise ConfigError("--card and --story build one new character: give one --character, without --all/--slurm")
    if args.out is not None and (len(args.character) != 1 or args.all):
        raise ConfigError("--out is the folder of one character; without it each goes to Memories/<Name>")
    if args.slurm and not args.partition:
        raise ConfigError("--slurm needs the partition: -p PARTITION (see `sinfo`)")


def _out(args: argparse.Namespace, store: HumanSimulacra, name: str) -> Path:
    folder = store.folder(name)
    default = folder.memories if folder else Path("Memories") / name  # a made character's lives in its folder
    return (args.out or default).resolve()


def _finished(out: Path) -> bool:
    return (out / LONG_MEMORY_FILE).is_file() and not checkpoint_files(out)


def _build_one(args: argparse.Namespace, character: Character, story: Story, out: Path) -> int:
    env = os.environ
    endpoint = agent_endpoint(env, answer_endpoint(env))
    # --workers bounds the calls in flight (one call per worker of the build's work queue)
    options = replace(connect_options(env, cache=not args.no_cache), concurrency=None)
    try:
        report = build_memory(
            connect(endpoint, options), character, story, out,
            config=GenerationConfig(temperature=0.0, max_tokens=args.max_tokens),
            workers=args.workers, model_id=f"{endpoint.model}@{endpoint.base_url}", progress=not args.no_progress,
        )  # fmt: skip
    except EndpointError as exc:
        raise EndpointError(f"{exc}\n{_RESUME.format(out=out)}") from None
    print(
        f"wrote {len(report.memory.entries)} memories of {character.name} to {out} "
        f"({report.built} built, {report.reused} resumed; {report.usage.calls} calls, "
        f"{report.usage.total_tokens} tokens)"
    )
    return 0


def _fan_out(args: argparse.Namespace, store: HumanSimulacra, names: list[str], outs: dict[str, Path]) -> int:
    from ..adapters.memory_task import MemoryJob, SlurmOptions, fan_out  # imports OpenCompass

    answer_endpoint(os.environ)  # fail here, not in every job, when the endpoint is not set
    options = ("--workers", str(args.workers), "--max-tokens", str(args.max_tokens),
               *(("--no-cache",) if args.no_cache else ()))  # fmt: skip
    jobs = [MemoryJob(name, store.character(name).slug, outs[name], options) for name in names]
    slurm = SlurmOptions(partition=args.partition, quotatype=args.quotatype, qos=args.qos,
                         max_num_workers=args.max_num_workers, retry=args.retry, work_dir=args.work_dir)  # fmt: skip
    failed = fan_out(jobs, slurm) if jobs else []
    for job in jobs:
        state = "FAILED" if job in failed else "built"
        print(f"{job.character}: {state} ({job.out}; log {args.work_dir / 'logs/memory/memory' / job.slug}.out)")
    if failed:
        print(f"{len(failed)} of {len(jobs)} builds failed; run the same command again to finish them")
    return 1 if failed else 0
