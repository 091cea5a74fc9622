"""``llmp-opencompass character``: make a new character, step by step, in a folder.

    character new --out DIR [--seed N] [--set key=value ...]   profile.json (seeded draw)
    character biography DIR                                    card.json (the LLM writes the biography)
    character story DIR --iterations N                         story.txt (iterative expansion, resumable)
    character questions DIR                                    Questions/*.json (complete the TODO items)
    character validate DIR [--require story,questions,memory]  check every file

Then ``LLMP_EXTRA_CHARACTERS=DIR`` makes the character available like a built-in one:
``llmp-opencompass memory build --character NAME`` writes its MACM memory into
``DIR/Memories``, and every config evaluates it (``LLMP_CHARACTERS=NAME`` to run it alone).
The LLM steps use the endpoint of the OpenCompass configs (``OPENAI_BASE_URL``,
``LLMP_MODEL``, ``OPENAI_API_KEY``) and the persistent call cache (``--no-cache`` to skip it).
"""

from __future__ import annotations

import argparse
import json
import os
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..data.layout import CharacterFolder
from ..data.store import HumanSimulacra
from ..data.traits import load_traits
from ..errors import ConfigError, EndpointError, MalformedDataFileError, MissingDataFileError
from ..files import write_text_atomic
from ..llm.types import GenerationConfig
from ..retrieval.embedders import MINILM

if TYPE_CHECKING:
    from ..characters.profile import Profile
    from ..data.records import Character
    from ..llm.types import ChatModel

__all__ = ["register"]

_DEFAULT_SEED = 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``character`` subcommand and its actions."""
    parser = subparsers.add_parser(
        "character", help="make your own character (profile, biography, story, questions)", description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip
    actions = parser.add_subparsers(dest="character_command", metavar="ACTION", required=True)

    new = actions.add_parser("new", help="draw a profile (attributes, age, 20 trait statements) into DIR")
    new.add_argument("--out", type=Path, required=True, help="the character folder to create")
    new.add_argument("--seed", type=int, default=_DEFAULT_SEED, help=f"seeds the draw (default {_DEFAULT_SEED})")
    new.add_argument(
        "--set", dest="fixed", action="append", default=[], metavar="KEY=VALUE",
        help='fix an attribute instead of drawing it, e.g. --set occupation="chef" (repeatable; keys: name, gender, '
        "age, date_of_birth, occupation, family, education, hobbies, short_term_goals, long_term_goal, jung_order)",
    )  # fmt: skip
    new.add_argument("--as-of", type=_iso_date, help="the date ages are counted to (default: today)")
    new.add_argument("--id", default="100", help='the character id written to the card (default "100")')
    new.add_argument("--force", action="store_true", help="replace an existing profile.json")
    new.set_defaults(func=_new)

    bio = actions.add_parser("biography", help="have the LLM write the biography: card.json")
    bio.add_argument("dir", type=Path, help="the character folder (with profile.json)")
    bio.add_argument("--temperature", type=float, default=0.5, help="sampling temperature (default 0.5)")
    bio.add_argument("--max-tokens", type=int, default=900, help="max tokens of the biography (default 900)")
    bio.add_argument("--force", action="store_true", help="replace an existing card.json")
    bio.add_argument("--no-cache", action="store_true", help="do not use the persistent LLM call cache")
    bio.set_defaults(func=_biography)

    story = actions.add_parser("story", help="grow the life story from the biography, checkpointed and resumable")
    story.add_argument("dir", type=Path, help="the character folder (with card.json)")
    story.add_argument("--iterations", type=int, required=True, help="total expansion steps (a rerun continues)")
    story.add_argument("--threshold", type=float, default=50.0, help="stop when the best score is lower (default 50)")
    story.add_argument("--window", type=int, default=5, help="paragraphs each side sent for long stories (default 5)")
    story.add_argument("--temperature", type=float, default=0.7, help="sampling temperature (default 0.7)")
    story.add_argument("--max-tokens", type=int, default=700, help="max tokens per expansion (default 700)")
    story.add_argument("--embedder", default=MINILM, help="paragraph embedder (default: the local MiniLM)")
    story.add_argument("--no-progress", action="store_true", help="no progress bar")
    story.add_argument("--no-cache", action="store_true", help="do not use the persistent LLM call cache")
    story.set_defaults(func=_story)

    questions = actions.add_parser("questions", help="write the questionnaire (profile items + templates to complete)")
    questions.add_argument("dir", type=Path, help="the character folder (with profile.json)")
    questions.add_argument("--seed", type=int, help="seeds the distractors and option order (default: the profile's)")
    questions.add_argument("--force", action="store_true", help="replace existing questionnaires (discards edits)")
    questions.set_defaults(func=_questions)

    validate = actions.add_parser("validate", help="check a character folder against the formats")
    validate.add_argument("dir", type=Path, help="the character folder")
    validate.add_argument(
        "--require", type=_parts, default=frozenset(),
        help="parts that must be there besides the card, comma-separated: profile, story, questions, memory",
    )  # fmt: skip
    validate.set_defaults(func=_validate)


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date in YYYY-MM-DD form") from exc


def _parts(text: str) -> frozenset[str]:
    return frozenset(p.strip() for p in text.split(",") if p.strip())


# ---------------------------------------------------------------- actions


def _new(args: argparse.Namespace) -> int:
    from ..characters.attribute_pools import AttributePools
    from ..characters.profile_draw import draw_profile, parse_assignments

    folder = CharacterFolder(args.out)
    if folder.profile.exists() and not args.force:
        raise ConfigError(f"{folder.profile} exists; pass --force to draw a new profile over it")
    fixed = parse_assignments(args.fixed)
    store = _store()
    profile = draw_profile(
        AttributePools.from_store(store), load_traits(store), seed=args.seed, as_of=args.as_of or date.today(),
        fixed=fixed, id=args.id,
    )  # fmt: skip
    folder.root.mkdir(parents=True, exist_ok=True)
    _write_json(folder.profile, profile.to_json())
    print(
        f"wrote {folder.profile}: {profile.name}, {profile.age}, {profile.gender}, {profile.occupation}; "
        f"Jung order {' '.join(profile.jung_order)}\nnext: llmp-opencompass character biography {folder.root}"
    )
    return 0


def _biography(args: argparse.Namespace) -> int:
    from ..characters.biography import write_biography

    folder = CharacterFolder(args.dir)
    profile = _profile(folder)
    if folder.card.exists() and not args.force:
        raise ConfigError(f"{folder.card} exists; pass --force to write a new biography over it")
    chat = _chat(args.no_cache)
    line = profile.basic_infos().strip().strip('"').strip()
    content = write_biography(
        chat, line, profile.traits, config=GenerationConfig(temperature=args.temperature, max_tokens=args.max_tokens)
    )
    _write_json(folder.card, profile.card(content))
    words = len(content.split())
    print(f"wrote {folder.card}: a biography of {words} words\nnext: llmp-opencompass character story {folder.root}")
    return 0


def _story(args: argparse.Namespace) -> int:
    from ..characters.story import DEFAULT_EXPAND_CONFIG, expand_story
    from ..retrieval import build_embedder

    folder = CharacterFolder(args.dir)
    if args.iterations < 0:
        raise ConfigError(f"--iterations {args.iterations}: give a number of steps, 0 or more")
    character = _card(folder)
    config = GenerationConfig(
        temperature=args.temperature, max_tokens=args.max_tokens, top_p=DEFAULT_EXPAND_CONFIG.top_p
    )
    try:
        result = expand_story(
            folder, character, _chat(args.no_cache), build_embedder(args.embedder), iterations=args.iterations,
            threshold=args.threshold, window=args.window, config=config, progress=not args.no_progress,
        )  # fmt: skip
    except EndpointError as exc:
        raise EndpointError(f"{exc}\nthe iterations finished so far are kept: run the same command again") from None
    stop = " (stopped early: no paragraph scored above the threshold)" if result.stopped_early else ""
    print(
        f"{folder.story}: {result.completed} of {args.iterations} iterations done{stop}; {len(result.paragraphs)} "
        f"paragraphs, {result.words} words. Review each step in {folder.review}\n"
        f"next: llmp-opencompass character questions {folder.root}"
    )
    return 0


def _questions(args: argparse.Namespace) -> int:
    from ..characters.attribute_pools import AttributePools
    from ..characters.questionnaire import build_questionnaire, write_questionnaire

    folder = CharacterFolder(args.dir)
    profile = _profile(folder)
    seed = profile.seed if args.seed is None else args.seed
    questionnaire = build_questionnaire(profile, AttributePools.from_store(_store()), seed=seed)
    paths = write_questionnaire(folder, questionnaire, overwrite=args.force)
    print(
        f"wrote {len(paths)} questionnaires to {folder.questions_dir}. Complete every item whose question starts "
        f"with TODO (a question about the life story, its options and the answer letters), or delete it; then "
        f"check with: llmp-opencompass character validate {folder.root} --require story,questions"
    )
    return 0


def _validate(args: argparse.Namespace) -> int:
    from ..characters.validate import validate_folder

    store = _store()
    report = validate_folder(args.dir, require=args.require, catalog=load_traits(store))
    print(report.format())
    return 0 if report.ok else 1


# ---------------------------------------------------------------- helpers


def _store() -> HumanSimulacra:
    """The dataset (attribute pools and trait statements come from it)."""
    from ..settings.data import open_data

    return open_data(os.environ)


def _chat(no_cache: bool) -> ChatModel:
    from ..llm import connect
    from ..settings.connection import answer_endpoint, connect_options

    return connect(answer_endpoint(os.environ), connect_options(os.environ, cache=not no_cache))


def _profile(folder: CharacterFolder) -> Profile:
    from ..characters.profile import Profile

    if not folder.profile.is_file():
        raise MissingDataFileError(
            f"{folder.profile} is missing; draw a profile first: llmp-opencompass character new --out {folder.root}"
        )
    return Profile.from_json(_read_json(folder.profile), source=str(folder.profile))


def _card(folder: CharacterFolder) -> Character:
    from ..data.records import Character

    if not folder.card.is_file():
        raise MissingDataFileError(
            f"{folder.card} is missing; write the biography first: llmp-opencompass character biography {folder.root}"
        )
    try:
        return Character.from_card(_read_json(folder.card))  # type: ignore[arg-type]
    except (KeyError, TypeError, AttributeError) as exc:
        raise MalformedDataFileError(
            f"{folder.card}: not a character card ({exc!r}); check it with "
            f"`llmp-opencompass character validate {folder.root}`"
        ) from exc


def _read_json(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise MalformedDataFileError(f"{path}: cannot be read as JSON ({exc})") from exc


def _write_json(path: Path, data: object) -> None:
    write_text_atomic(path, json.dumps(data, indent=4, ensure_ascii=False) + "\n")
