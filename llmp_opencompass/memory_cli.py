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
import json
import os
from collections.abc import Mapping
from pathlib import Path

from .data.records import Character, Story
from .errors import ConfigError, MalformedDataFileError
from .llm.types import GenerationConfig
from .simulacra.macm import build_memory

__all__ = ["register", "load_card", "load_story"]


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
    build.add_argument("--workers", type=int, default=4, help="fragments built concurrently (default 4)")
    build.add_argument("--max-tokens", type=int, default=256, help="max tokens per agent reply (default 256)")
    build.add_argument("--no-progress", action="store_true", help="no progress bar")
    build.add_argument("--no-cache", action="store_true", help="do not use the persistent LLM call cache")
    build.set_defaults(func=_build)


def load_card(path: Path, name: str) -> Character:
    """The card named ``name`` from a JSON file holding one card or a list of cards."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise MalformedDataFileError(f"{path}: cannot read the character card: {exc}") from exc
    cards = data if isinstance(data, list) else [data]
    for card in cards:
        if isinstance(card, Mapping) and str(card.get("Name", "")).strip().lower() == name.strip().lower():
            try:
                return Character.from_card(card)
            except (KeyError, TypeError) as exc:
                raise MalformedDataFileError(f"{path}: card of {name!r}: missing or wrong field {exc}") from exc
    raise ConfigError(f"{path} holds no card with Name {name!r}")


def load_story(path: Path, name: str) -> Story:
    """A life story file: one paragraph per non-empty line."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read the story {path}: {exc}") from exc
    paragraphs = tuple(line.strip() for line in text.splitlines() if line.strip())
    if not paragraphs:
        raise ConfigError(f"the story {path} is empty")
    return Story(character=name, paragraphs=paragraphs)


def _build(args: argparse.Namespace) -> int:
    from .cli_env import agent_endpoint, answer_endpoint, chat_model, store_from_environment

    if (args.story is None) != (args.card is None):
        raise ConfigError("give both --story and --card for a new character, or neither for a dataset character")
    env = {**os.environ, "LLMP_CACHE": "off"} if args.no_cache else os.environ
    endpoint = agent_endpoint(env, answer_endpoint(env))
    default_out: Path | None = None
    if args.card is not None:
        character, story = load_card(args.card, args.character), load_story(args.story, args.character)
    else:
        store = store_from_environment(env)
        character = store.character(args.character)
        story = store.story(character.name)
        folder = store.folder(character.name)
        default_out = folder.memories if folder else None  # a made character's memory lives in its folder
    out = args.out or default_out or Path("Memories") / character.name
    report = build_memory(
        chat_model(endpoint, env), character, story, out,
        config=GenerationConfig(temperature=0.0, max_tokens=args.max_tokens),
        workers=args.workers, model_id=f"{endpoint.model}@{endpoint.base_url}", progress=not args.no_progress,
    )  # fmt: skip
    print(
        f"wrote {len(report.memory.entries)} memories of {character.name} to {out} "
        f"({report.built} built, {report.reused} resumed; {report.usage.calls} calls, "
        f"{report.usage.total_tokens} tokens)"
    )
    return 0
