"""Typed, verified access to the Human Simulacra files of one local copy.

``HumanSimulacra`` reads the upstream JSON and text files of a ``Characters``
directory into the frozen records of ``records.py`` (parsed by ``parsers.py``). Every read goes through one
helper that checks the file's SHA-256 against the manifest (unless verification is
off), and every parsed file is cached in the instance, so each file is read once.
Errors name the file, what is wrong with it and how to fix it.

Extra characters (folders made by ``llmp-opencompass character``, see
``layout.py``) join the dataset's: ``HumanSimulacra(path, extra=[DIR, ...])``
lists them after the built-in characters and reads their card, story, questionnaires and
memory from their folders (not pinned, so never checked against the manifest).
"""

from __future__ import annotations

import difflib
import hashlib
import json
import threading
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TypeVar, cast

from ..errors import (
    ConfigError,
    CorruptDataFileError,
    MalformedDataFileError,
    MissingDataFileError,
    UnknownCharacterError,
)
from .layout import CharacterFolder
from .manifest import CHARACTERS_DIR, Manifest, find_characters_dir, load_manifest
from .parsers import parse_memory, parse_questions, parse_story
from .records import Character, LongTermMemory, Question, QuestionType, Story, slugify

__all__ = ["HumanSimulacra"]

_T = TypeVar("_T")


class HumanSimulacra:
    """The characters, questionnaires, stories and memories of one local copy."""

    def __init__(
        self,
        path: Path | str,
        *,
        manifest: Manifest | None = None,
        verify: bool = True,
        extra: Iterable[Path | str] = (),
    ) -> None:
        """Open a local copy.

        Args:
            path: the repository root (holding ``LLMP/Characters``), the ``LLMP`` or the
                ``Characters`` directory.
            manifest: hashes to verify against; None for the manifest shipped with the package.
            verify: check the SHA-256 of every pinned file when it is read.
            extra: character folders (``llmp-opencompass character new``) to add to the dataset's.
        """
        self.characters_dir = find_characters_dir(Path(path))
        self.manifest = load_manifest() if manifest is None else manifest
        self.verify = verify
        self.extra_dirs = tuple(Path(p).expanduser().resolve() for p in extra)
        for folder in self.extra_dirs:
            if not CharacterFolder(folder).card.is_file():
                raise MissingDataFileError(
                    f"extra character folder {folder} has no {CharacterFolder(folder).card.name}; create one with "
                    "`llmp-opencompass character new --out DIR` and `character biography DIR`, or remove it "
                    "from LLMP_EXTRA_CHARACTERS"
                )
        self._memo: dict[tuple[str, ...], object] = {}
        self._lock = threading.RLock()

    def __repr__(self) -> str:
        extra = f", extra={[str(p) for p in self.extra_dirs]}" if self.extra_dirs else ""
        return f"HumanSimulacra({str(self.characters_dir)!r}, verify={self.verify}{extra})"

    # ----------------------------------------------------------------- records

    def characters(self) -> tuple[Character, ...]:
        """Every character, in the order of ``character_introductions.json``, then the extra ones."""
        return self._memoized(("characters",), lambda: self._load_characters() + tuple(self._extras().values()))

    def folder(self, name: str) -> CharacterFolder | None:
        """The folder of an extra character (None for the dataset's own)."""
        wanted = self.resolve_name(name)
        return next((CharacterFolder(d) for d, c in self._extras_by_dir().items() if c.name == wanted), None)

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
        folder = self.folder(character)
        path = folder.questions(qtype.value) if folder else self._path(f"Questions/{character}/{qtype.value}.json")
        return self._memoized(
            ("questions", character, qtype.value),
            lambda: parse_questions(self._json(path), character, qtype, path),
        )

    def open_ended_available(self, name: str) -> bool:
        """True when the character's Open-Ended items have text (Mary Jones and Haley Collins upstream)."""
        return bool(self.questions(name, QuestionType.OPEN_ENDED))

    def story(self, name: str) -> Story:
        """The character's life story (``Stories/<Name>/<Name>.txt``), one paragraph per non-empty line."""
        character = self.resolve_name(name)
        folder = self.folder(character)
        path = folder.story if folder else self._path(f"Stories/{character}/{character}.txt")
        return self._memoized(("story", character), lambda: parse_story(self._text(path), character))

    def memory(self, name: str) -> LongTermMemory:
        """The character's precomputed MACM long-term memory (``index.json`` + ``long_memory.json``)."""
        character = self.resolve_name(name)
        return self._memoized(("memory", character), lambda: self._load_memory(character))

    def attribute_text(self, pool: str) -> str:
        """The verified text of ``Attributes/<pool>.txt`` (``traits``, ``hobbies``, ...); see ``data.traits``."""
        return self._memoized(("attribute", pool), lambda: self._text(self._path(f"Attributes/{pool}.txt")))

    # ----------------------------------------------------------------- loading

    def _load_characters(self) -> tuple[Character, ...]:
        path = self._path("character_introductions.json")
        data = self._json(path)
        if not isinstance(data, list):
            raise MalformedDataFileError(f"{path}: expected a list of character cards")
        characters = []
        for number, card in enumerate(data, start=1):
            try:
                if not isinstance(card, Mapping):
                    raise TypeError(f"expected an object, got {type(card).__name__}")
                characters.append(Character.from_card(card))
            except (KeyError, TypeError) as exc:
                raise MalformedDataFileError(f"{path}, card {number}: {exc!r}") from exc
        return tuple(characters)

    def _extras(self) -> dict[str, Character]:
        """The extra characters by name; a name used twice (or by the dataset) is an error."""
        builtin = {c.name.lower(): c.name for c in self._load_characters()}
        named: dict[str, Character] = {}
        for folder, character in self._extras_by_dir().items():
            clash = builtin.get(character.name.lower()) or next(
                (n for n in named if n.lower() == character.name.lower()), None
            )
            if clash:
                raise ConfigError(
                    f"extra character folder {folder} is named {character.name!r}, like "
                    f"{'a dataset character' if clash in builtin.values() else 'another extra folder'}; "
                    "rename it in its card.json (Name) or leave one folder out of LLMP_EXTRA_CHARACTERS"
                )
            named[character.name] = character
        return named

    def _extras_by_dir(self) -> dict[Path, Character]:
        return self._memoized(
            ("extras",), lambda: {d: self._load_card(CharacterFolder(d).card) for d in self.extra_dirs}
        )

    def _load_card(self, path: Path) -> Character:
        data = self._json(path)
        try:
            if not isinstance(data, Mapping):
                raise TypeError(f"expected one card object, got {type(data).__name__}")
            return Character.from_card(data)
        except (KeyError, TypeError) as exc:
            raise MalformedDataFileError(
                f"{path}: not a character card ({exc!r}); check it with `llmp-opencompass character validate "
                f"{path.parent}`"
            ) from exc

    def _load_memory(self, character: str) -> LongTermMemory:
        folder = self.folder(character)
        directory = folder.memories if folder else self._path(f"Memories/{character}")
        index_path, long_path = directory / "index.json", directory / "long_memory.json"
        if folder and not index_path.is_file():
            raise MissingDataFileError(
                f"{index_path} is missing: {character} has no MACM memory yet; build it with "
                f"`llmp-opencompass memory build --character {character!r}`"
            )
        index, long_memory = self._json(index_path), self._json(long_path)
        if not isinstance(index, Mapping):
            raise MalformedDataFileError(f"{index_path}: expected an object of summaries")
        return parse_memory(index, long_memory, character, long_path)

    def _memoized(self, key: tuple[str, ...], load: Callable[[], _T]) -> _T:
        with self._lock:
            if key not in self._memo:
                self._memo[key] = load()
            return cast(_T, self._memo[key])

    # ----------------------------------------------------------------- files

    def _path(self, rel: str) -> Path:
        return self.characters_dir / rel

    def _json(self, path: Path) -> object:
        def load() -> object:
            try:
                return json.loads(self._read(path).decode("utf-8"))
            except json.JSONDecodeError as exc:
                fix = (
                    "fix the file or restore it with `llmp-opencompass data download`"
                    if self._pinned(path)
                    else f"fix the file (`llmp-opencompass character validate {path.parent}` checks a folder)"
                )
                raise MalformedDataFileError(
                    f"{path}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}; {fix}"
                ) from exc
            except UnicodeDecodeError as exc:
                raise MalformedDataFileError(f"{path}: not UTF-8 at byte {exc.start}") from exc

        return self._memoized(("json", str(path)), load)

    def _text(self, path: Path) -> str:
        try:
            return self._read(path).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise MalformedDataFileError(f"{path}: not UTF-8 at byte {exc.start}") from exc

    def _pinned(self, path: Path) -> str | None:
        """The manifest path of a file of the dataset's copy (None for an extra character's file)."""
        try:
            rel = path.relative_to(self.characters_dir).as_posix()
        except ValueError:
            return None
        return f"{CHARACTERS_DIR}/{rel}"

    def _read(self, path: Path) -> bytes:
        """Read a file, checking it against the manifest when it is pinned and verification is on."""
        pinned = self._pinned(path)
        try:
            data = path.read_bytes()
        except FileNotFoundError as exc:
            fix = (
                "run `llmp-opencompass data download` to fetch the pinned files, or point LLMP_DATA_DIR at a "
                "complete copy"
                if pinned
                else f"create it (`llmp-opencompass character --help` lists the steps) or check it with "
                f"`llmp-opencompass character validate {path.parent}`"
            )
            raise MissingDataFileError(f"{path} is missing; {fix}") from exc
        entry = self.manifest.entry(pinned) if pinned else None
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
