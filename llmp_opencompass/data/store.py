"""Typed, verified access to the Human Simulacra files of one local copy.

``HumanSimulacra`` reads the upstream JSON and text files of a ``Characters``
directory into the frozen records of ``records.py``. Every read goes through one
helper that checks the file's SHA-256 against the manifest (unless verification is
off), and every parsed file is cached in the instance, so each file is read once.
Errors name the file, what is wrong with it and how to fix it.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TypeVar, cast

from ..errors import CorruptDataFileError, MalformedDataFileError, MissingDataFileError, UnknownCharacterError
from .manifest import CHARACTERS_DIR, Manifest, find_characters_dir, load_manifest
from .records import Character, LongTermMemory, MemoryEntry, Question, QuestionType, Story, slugify

__all__ = ["HumanSimulacra"]

_T = TypeVar("_T")
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


class HumanSimulacra:
    """The characters, questionnaires, stories and memories of one local copy."""

    def __init__(self, path: Path | str, *, manifest: Manifest | None = None, verify: bool = True) -> None:
        """Open a local copy.

        Args:
            path: the repository root (holding ``LLMP/Characters``), the ``LLMP`` or the
                ``Characters`` directory.
            manifest: hashes to verify against; None for the manifest shipped with the package.
            verify: check the SHA-256 of every pinned file when it is read.
        """
        self.characters_dir = find_characters_dir(Path(path))
        self.manifest = load_manifest() if manifest is None else manifest
        self.verify = verify
        self._memo: dict[tuple[str, ...], object] = {}
        self._lock = threading.RLock()

    def __repr__(self) -> str:
        return f"HumanSimulacra({str(self.characters_dir)!r}, verify={self.verify})"

    # ----------------------------------------------------------------- records

    def characters(self) -> tuple[Character, ...]:
        """Every character, in the order of ``character_introductions.json``."""
        return self._memoized(("characters",), self._load_characters)

    def names(self) -> tuple[str, ...]:
        """Every character's name, in file order."""
        return tuple(character.name for character in self.characters())

    def character(self, name: str) -> Character:
        """The character with this name (exact, case-insensitive or slug such as ``mary_jones``)."""
        wanted = self.resolve_name(name)
        return next(c for c in self.characters() if c.name == wanted)

    def resolve_name(self, name: str) -> str:
        """The canonical name for ``name``; raises ``UnknownCharacterError`` listing the valid names."""
        names = self.names()
        if name in names:
            return name
        by_key = {_name_key(n): n for n in names}
        if _name_key(name) in by_key:
            return by_key[_name_key(name)]
        close = difflib.get_close_matches(_name_key(name), list(by_key), n=1)
        hint = f" Did you mean {by_key[close[0]]!r}?" if close else ""
        raise UnknownCharacterError(
            f"unknown character {name!r}.{hint} Valid names: {', '.join(names)} (or their slugs, e.g. "
            f"{slugify(names[0]) if names else 'mary_jones'!r})"
        )

    def questions(self, name: str, qtype: QuestionType) -> tuple[Question, ...]:
        """The items of one questionnaire, in file order.

        Open-Ended placeholders (items with empty text, upstream for all but Mary Jones and
        Haley Collins) are left out, so the tuple is empty for those characters.
        """
        character = self.resolve_name(name)
        rel = f"Questions/{character}/{qtype.value}.json"
        return self._memoized(
            ("questions", character, qtype.value),
            lambda: _parse_questions(self._json(rel), character, qtype, self._path(rel)),
        )

    def open_ended_available(self, name: str) -> bool:
        """True when the character's Open-Ended items have text (Mary Jones and Haley Collins upstream)."""
        return bool(self.questions(name, QuestionType.OPEN_ENDED))

    def story(self, name: str) -> Story:
        """The character's life story (``Stories/<Name>/<Name>.txt``), one paragraph per non-empty line."""
        character = self.resolve_name(name)
        rel = f"Stories/{character}/{character}.txt"
        return self._memoized(("story", character), lambda: _parse_story(self._text(rel), character))

    def memory(self, name: str) -> LongTermMemory:
        """The character's precomputed MACM long-term memory (``index.json`` + ``long_memory.json``)."""
        character = self.resolve_name(name)
        return self._memoized(("memory", character), lambda: self._load_memory(character))

    def attribute_text(self, pool: str) -> str:
        """The verified text of ``Attributes/<pool>.txt`` (``traits``, ``hobbies``, ...); see ``data.traits``."""
        return self._memoized(("attribute", pool), lambda: self._text(f"Attributes/{pool}.txt"))

    # ----------------------------------------------------------------- loading

    def _load_characters(self) -> tuple[Character, ...]:
        rel = "character_introductions.json"
        data = self._json(rel)
        if not isinstance(data, list):
            raise MalformedDataFileError(f"{self._path(rel)}: expected a list of character cards")
        characters = []
        for number, card in enumerate(data, start=1):
            try:
                if not isinstance(card, Mapping):
                    raise TypeError(f"expected an object, got {type(card).__name__}")
                characters.append(Character.from_card(card))
            except (KeyError, TypeError) as exc:
                raise MalformedDataFileError(f"{self._path(rel)}, card {number}: {exc!r}") from exc
        return tuple(characters)

    def _load_memory(self, character: str) -> LongTermMemory:
        index_rel, long_rel = f"Memories/{character}/index.json", f"Memories/{character}/long_memory.json"
        index, long_memory = self._json(index_rel), self._json(long_rel)
        if not isinstance(index, Mapping):
            raise MalformedDataFileError(f"{self._path(index_rel)}: expected an object of summaries")
        return _parse_memory(index, long_memory, character, self._path(long_rel))

    def _memoized(self, key: tuple[str, ...], load: Callable[[], _T]) -> _T:
        with self._lock:
            if key not in self._memo:
                self._memo[key] = load()
            return cast(_T, self._memo[key])

    # ----------------------------------------------------------------- files

    def _path(self, rel: str) -> Path:
        return self.characters_dir / rel

    def _json(self, rel: str) -> object:
        def load() -> object:
            path = self._path(rel)
            try:
                return json.loads(self._read(rel).decode("utf-8"))
            except json.JSONDecodeError as exc:
                raise MalformedDataFileError(
                    f"{path}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}; "
                    "fix the file or restore it with `llmp-opencompass data download`"
                ) from exc
            except UnicodeDecodeError as exc:
                raise MalformedDataFileError(f"{path}: not UTF-8 at byte {exc.start}") from exc

        return self._memoized(("json", rel), load)

    def _text(self, rel: str) -> str:
        try:
            return self._read(rel).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise MalformedDataFileError(f"{self._path(rel)}: not UTF-8 at byte {exc.start}") from exc

    def _read(self, rel: str) -> bytes:
        """Read a file, checking it against the manifest when it is pinned and verification is on."""
        path = self._path(rel)
        try:
            data = path.read_bytes()
        except FileNotFoundError as exc:
            raise MissingDataFileError(
                f"{path} is missing; run `llmp-opencompass data download` to fetch the pinned files, "
                "or point LLMP_DATA_DIR at a complete copy"
            ) from exc
        entry = self.manifest.entry(f"{CHARACTERS_DIR}/{rel}")
        if self.verify and entry is not None:
            actual = hashlib.sha256(data).hexdigest()
            if actual != entry.sha256:
                raise CorruptDataFileError(
                    f"{path} differs from the pinned upstream file: SHA-256 expected {entry.sha256}, "
                    f"actual {actual}. Restore it with `llmp-opencompass data download --dest "
                    f"{_root_of(self.characters_dir)}` (or delete the copy); if you edited it on purpose, "
                    "set LLMP_DATA_VERIFY=off"
                )
        return data


def _root_of(characters_dir: Path) -> Path:
    """The directory a download writes ``LLMP/Characters`` into, for the fix in error messages."""
    return characters_dir.parent.parent if characters_dir.parent.name == "LLMP" else characters_dir


def _name_key(name: str) -> str:
    return slugify(name).replace("-", "_")


def _parse_story(text: str, character: str) -> Story:
    return Story(character=character, paragraphs=tuple(p for p in map(str.strip, text.splitlines()) if p))


def _parse_memory(
    index: Mapping[object, object], long_memory: object, character: str, path: Path
) -> LongTermMemory:
    if not isinstance(long_memory, Mapping):
        raise MalformedDataFileError(f"{path}: expected an object of memories")
    if set(index) != set(long_memory):
        odd = sorted(map(str, set(index) ^ set(long_memory)))
        raise MalformedDataFileError(f"{path}: keys differ from index.json beside it: {', '.join(odd)}")
    entries = []
    for key in sorted(map(str, long_memory)):
        item = long_memory[key]
        try:
            memory = item["Memory"]
            entries.append(
                MemoryEntry(
                    key=key,
                    summary=_str(item["Memory_Summary"]),
                    content=_str(memory["Memory Content"]),
                    thinking=_str(memory["Thinking"]),
                    emotion=_str(memory["Emotion"]),
                )
            )
        except (KeyError, TypeError) as exc:
            raise MalformedDataFileError(f"{path}, memory {key!r}: missing or wrong field {exc}") from exc
    return LongTermMemory(character=character, entries=tuple(entries))


def _str(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected a string, got {type(value).__name__}")
    return value


def _parse_questions(data: object, character: str, qtype: QuestionType, path: Path) -> tuple[Question, ...]:
    if not isinstance(data, list):
        raise MalformedDataFileError(f"{path}: expected a list of questions")
    questions = []
    for number, item in enumerate(data, start=1):
        try:
            question = _parse_question(item, character, qtype, number)
        except (KeyError, TypeError, ValueError) as exc:
            raise MalformedDataFileError(f"{path}, item {number}: {exc}") from exc
        if question.text:
            questions.append(question)
    return tuple(questions)


def _parse_question(item: object, character: str, qtype: QuestionType, number: int) -> Question:
    if not isinstance(item, Mapping):
        raise TypeError(f"expected an object, got {type(item).__name__}")
    if item.get("type", qtype.value) != qtype.value:
        raise ValueError(f"type {item.get('type')!r} does not match the file's type {qtype.value!r}")
    text = _str(item["question"]).strip()
    options = tuple(_str(o) for o in item.get("options") or ())
    answer = tuple(_str(a).strip() for a in item.get("answer") or () if _str(a).strip())
    if not qtype.is_choice:
        if qtype is QuestionType.CLOZE and text and not answer:
            raise ValueError("a Cloze item needs at least one accepted answer")
        return Question(character=character, type=qtype, number=number, text=text, answer=answer)
    _check_choice(options, answer, qtype)
    texts, gold = _merge_duplicates(tuple(Question.strip_label(o) for o in options), answer)
    return Question(character=character, type=qtype, number=number, text=text, options=texts, answer=gold)


def _merge_duplicates(options: tuple[str, ...], answer: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Show an option text that appears twice once (upstream, Leslie Nichols's first
    Multiple_choices item lists "playing football" as C and D with only C gold, so the
    two identical options could not be told apart); the merged option is gold if either was."""
    first: dict[str, int] = {}
    for i, text in enumerate(options):
        first.setdefault(" ".join(text.lower().split()), i)
    kept = sorted(first.values())
    if len(kept) == len(options):
        return options, tuple(a.upper() for a in answer)
    position = {i: kept.index(first[" ".join(t.lower().split())]) for i, t in enumerate(options)}
    gold = sorted({_LETTERS[position[_LETTERS.index(a.upper())]] for a in answer})
    return tuple(options[i] for i in kept), tuple(gold)


def _check_choice(options: tuple[str, ...], answer: tuple[str, ...], qtype: QuestionType) -> None:
    if len(options) < 2:
        raise ValueError(f"a choice item needs at least 2 options, got {len(options)}")
    for letter, option in zip(_LETTERS, options, strict=False):
        label = option.strip()[:1].upper()
        if option.strip()[1:2] in (".", ")") and label != letter:
            raise ValueError(f"option {option!r} is labelled {label} but is in position {letter}")
    valid = _LETTERS[: len(options)]
    wrong = [a for a in answer if len(a) != 1 or a.upper() not in valid]
    if wrong:
        raise ValueError(
            f"answer {', '.join(map(repr, wrong))} is not among the options {valid[0]}-{valid[-1]}"
        )
    if len({a.upper() for a in answer}) != len(answer):
        raise ValueError(f"answer {list(answer)} repeats a letter")
    if qtype is QuestionType.SINGLE_CHOICE and len(answer) != 1:
        raise ValueError(f"a Single_choice item needs exactly one answer letter, got {list(answer)}")
    if not answer:
        raise ValueError("a choice item needs at least one answer letter")
