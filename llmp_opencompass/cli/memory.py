"""``llmp-opencompass memory build``: build MACM's long-term memory of a character.

For one of the dataset's characters, the card and life story come from the data
(``LLMP_DATA_DIR`` or the cache); for a new character, give ``--card`` (a JSON object
in the format of ``character_introductions.json``, or a list of them holding the
name) and ``--story`` (a text file, one paragraph per line). Writes ``index.json`` and
``long_memory.json`` into ``--out`` (default ``Memories/<Name>``, or the ``Memories``
folder of a character made with ``llmp-opencompass character`` and listed in
``LLMP_EXTRA_CHARACTERS``). An interrupted build
resumes where it stopped when run again with the same arguments. Endpoint:
``OPENAI_BASE_URL`` and ``LLMP_MODEL`` (``LLMP_AGENT_MODEL`` / ``LLMP_AGENT_BASE_URL``
when set, since the memory is written by MACM's agents).
"""

from __future__ import annotations

import argparse
import os
from dataclasses import replace
from pathlib import Path

from ..data.user_files import load_card, load_story
from ..errors import ConfigError, EndpointError
from ..llm import GenerationConfig, connect
from ..settings.connection import agent_endpoint, answer_endpoint, connect_options
from ..settings.data import open_data
from ..simulacra.macm import build_memory

__all__ = ["register"]

_RESUME = "the fragments built so far are kept in {out}: run the same command again to finish the memory"


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``memory`` subcommand (``memory build``)."""
    parser = subparsers.add_parser("memory", help="build MACM long-term memories")
    actions = parser.add_subparsers(dest="memory_command", metavar="ACTION", required=True)
    build = actions.add_parser(
        "build", help="build a character's long-term memory from the life story", description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip
    build.add_argument("--character", required=True, help='character name, e.g. "Mary Jones"')
    build.add_argument(
        "--out", type=Path, help="output directory (default: Memories/<Name>; DIR/Memories for a made character)"
    )
    build.add_argument("--story", type=Path, help="life story text file (new character)")
    build.add_argument("--card", type=Path, help="character card JSON file (new character)")
    build.add_argument(
        "--workers", type=int, default=4,
        help="calls in flight at once (default 4), taken from the earliest fragments with a call ready",
    )  # fmt: skip
    build.add_argument("--max-tokens", type=int, default=256, help="max tokens per agent reply (default 256)")
    build.add_argument("--no-progress", action="store_true", help="no progress bar")
    build.add_argument("--no-cache", action="store_true", help="do not use the persistent LLM call cache")
    build.set_defaults(func=_build)


def _build(args: argparse.Namespace) -> int:
    if (args.story is None) != (args.card is None):
        raise ConfigError("give both --story and --card for a new character, or neither for a dataset character")
    env = os.environ
    endpoint = agent_endpoint(env, answer_endpoint(env))
    # --workers bounds the calls in flight (one call per worker of the build's work queue)
    options = replace(connect_options(env, cache=not args.no_cache), concurrency=None)
    default_out: Path | None = None
    if args.card is not None:
        character, story = load_card(args.card, args.character), load_story(args.story, args.character)
    else:
        store = open_data(env)
        character = store.character(args.character)
        story = store.story(character.name)
        folder = store.folder(character.name)
        default_out = folder.memories if folder else None  # a made character's memory lives in its folder
    out = args.out or default_out or Path("Memories") / character.name
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
