"""The checks of each part of a character folder against the formats the runtime reads.

:class:`FolderCheck` has one method per part (card, profile, story, questionnaires, memory,
and the Jung order of the traits); each adds a :class:`.validation_report.Problem` naming
the file and the fix instead of raising, so one run lists every problem.
:func:`make_command` names the command that makes a part.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path

from ..data.layout import CharacterFolder
from ..data.parsers import parse_memory, parse_questions
from ..data.records import Character, Question, QuestionType
from ..data.traits import TraitCatalog, statement_key
from ..errors import DataError
from .profile import Profile
from .questionnaire import TEMPLATE_MARK, is_template
from .trait_scheme import TRAIT_LAYOUT, recover_jung_order
from .validation_report import Problem, ValidationReport

__all__ = ["FolderCheck", "make_command"]

_MAKE = {
    "card": "`llmp-opencompass character new --out {dir}` then `llmp-opencompass character biography {dir}`",
    "profile": "`llmp-opencompass character new --out {dir}`",
    "biography": "`llmp-opencompass character biography {dir}`",
    "story": "`llmp-opencompass character story {dir}`",
    "questions": "`llmp-opencompass character questions {dir}`",
    "memory": (
        '`llmp-opencompass memory build --character "{name}" --card {dir}/card.json --story {dir}/story.txt '
        "--out {dir}/Memories`"
    ),
}
_BASIC_INFOS = re.compile(r'\A""\n[^\n]+\n""\n?\Z')
_SCORED = tuple(t for t in QuestionType if t.is_scored)


def make_command(part: str, folder: CharacterFolder, character: Character | None = None) -> str:
    """The command that makes ``part`` of ``folder`` ("NAME" for the character's name when it is not known)."""
    return _MAKE[part].format(dir=folder.root, name=character.name if character else "NAME")


class FolderCheck:
    """Collects the problems of one folder; one method per part."""

    def __init__(self, folder: CharacterFolder) -> None:
        self.folder = folder
        self.problems: list[Problem] = []
        self.checked: list[str] = []
        self.notes: list[str] = []

    def report(self) -> ValidationReport:
        return ValidationReport(self.folder.root, tuple(self.problems), tuple(self.checked), tuple(self.notes))

    def problem(self, path: Path, message: str) -> None:
        self.problems.append(Problem(path, message))

    def _json(self, path: Path) -> object | None:
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            self.problem(path, f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}")
        except UnicodeDecodeError as exc:
            self.problem(path, f"not UTF-8 at byte {exc.start}; save it as UTF-8")
        except OSError as exc:
            self.problem(path, f"cannot read it: {exc.strerror or exc}")
        return None

    def card(self) -> Character | None:
        path = self.folder.card
        if not path.exists():
            self.problem(path, f"missing; create it with {make_command('card', self.folder)}")
            return None
        self.checked.append("card")
        data = self._json(path)
        if data is None:
            return None
        if not isinstance(data, Mapping):
            self.problem(
                path, f"expected one card object (as in character_introductions.json), got {type(data).__name__}"
            )
            return None
        try:
            character = Character.from_card(data)
        except KeyError as exc:
            self.problem(path, f"not a character card: missing key {exc}")
            return None
        except TypeError as exc:
            self.problem(path, f"not a character card: {exc}")
            return None
        if not character.name:
            self.problem(path, "'Name' is empty; give the character's full name")
        if not _BASIC_INFOS.match(character.basic_infos):
            self.problem(path, "'Basic_infos' must be one line between two lines holding only \"\" (as upstream)")
        if len(character.traits) != sum(TRAIT_LAYOUT):
            self.problem(
                path, f"'Personality_traits' holds {len(character.traits)} statements, not {sum(TRAIT_LAYOUT)} "
                "(\"- s1. - s2. ...\")",
            )  # fmt: skip
        if not character.biography.strip():
            self.problem(
                path, f"'Content' (the biography) is empty; write it with {make_command('biography', self.folder)}"
            )
        return character

    def profile(self, character: Character | None, catalog: TraitCatalog | None) -> None:
        path = self.folder.profile
        self.checked.append("profile")
        data = self._json(path)
        if data is None:
            return
        try:
            profile = Profile.from_json(data, source=str(path))
        except DataError as exc:
            self.problem(
                path,
                f"{str(exc).removeprefix(f'{path}: ')}; fix it or redraw it with "
                f"{make_command('profile', self.folder)}",
            )
            return
        if catalog is not None:
            self.jung_order("profile.json", path, profile.traits, catalog, expected=profile.jung_order)
        if character is None:
            return
        if character.name != profile.name:
            self.problem(path, f"Name {profile.name!r} differs from card.json's {character.name!r}; make them agree")
        mine, theirs = [statement_key(t) for t in profile.traits], [statement_key(t) for t in character.traits]
        if mine != theirs:
            shorter = min(len(mine), len(theirs))
            first = next((i for i in range(shorter) if mine[i] != theirs[i]), shorter)
            self.problem(
                path, f"Traits differ from card.json's Personality_traits (first at statement {first + 1}); "
                "regenerate the card from the profile or fix one of them",
            )  # fmt: skip

    def story(self, character: Character | None, catalog: TraitCatalog | None) -> None:
        path = self.folder.story
        self.checked.append("story")
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError as exc:
            self.problem(path, f"not UTF-8 at byte {exc.start}; save it as UTF-8")
            return
        except OSError as exc:
            self.problem(path, f"cannot read it: {exc.strerror or exc}")
            return
        if not any(line.strip() for line in text.splitlines()):
            self.problem(path, f"holds no paragraph (one per line); write it with {make_command('story', self.folder)}")

    def questions(self, character: Character | None, catalog: TraitCatalog | None) -> None:
        self.checked.append("questions")
        found = {p.stem: p for p in sorted(self.folder.questions_dir.glob("*.json"))}
        valid = [t.value for t in QuestionType]
        for stem, path in found.items():
            if stem not in valid:
                self.problem(path, f"not a questionnaire file; valid names: {', '.join(v + '.json' for v in valid)}")
            else:
                self.questionnaire(path, QuestionType(stem), character.name if character else "")
        missing = [t.value for t in _SCORED if t.value not in found]
        if missing:
            self.problem(
                self.folder.questions_dir, f"no {', '.join(m + '.json' for m in missing)}; create the "
                f"questionnaire with {make_command('questions', self.folder)}",
            )  # fmt: skip

    def questionnaire(self, path: Path, qtype: QuestionType, name: str) -> None:
        data = self._json(path)
        if data is None:
            return
        if not isinstance(data, list):
            self.problem(path, "expected a list of question objects")
            return
        placeholders = 0
        for number, item in enumerate(data, start=1):
            text = item.get("question") if isinstance(item, Mapping) else None
            if isinstance(item, Mapping) and (is_template(item) or _todo_options(item)):
                self.problem(path, f"item {number} is still a {TEMPLATE_MARK} template; complete the item or delete it")
                continue
            if isinstance(text, str) and not text.strip():
                if qtype.is_scored:
                    self.problem(path, f"item {number} has no question (the loader would skip it); write or delete it")
                placeholders += 1
                continue
            try:
                parse_questions([item], name, qtype, path)
            except DataError as exc:
                self.problem(path, f"item {number}: {exc.__cause__ or exc}")
        if placeholders and not qtype.is_scored:
            self.notes.append(f"{path.name}: {placeholders} empty placeholder(s), skipped; write scenarios to use them")

    def memory(self, character: Character | None, catalog: TraitCatalog | None) -> None:
        self.checked.append("memory")
        index_path, long_path = self.folder.memories / "index.json", self.folder.memories / "long_memory.json"
        missing = [path for path in (index_path, long_path) if not path.exists()]
        for path in missing:
            self.problem(path, f"missing; build the memory with {make_command('memory', self.folder, character)}")
        if missing:
            return
        index, long_memory = self._json(index_path), self._json(long_path)
        if index is None or long_memory is None:
            return
        if not isinstance(index, Mapping) or not index:
            self.problem(index_path, 'expected a non-empty object of memory summaries keyed "001", "002", ...')
            return
        try:
            parse_memory(index, long_memory, character.name if character else "", long_path)
        except DataError as exc:
            what = str(exc).removeprefix(f"{long_path}: ").removeprefix(f"{long_path}, ")
            self.problem(long_path, f"{what}; rebuild the memory with {make_command('memory', self.folder, character)}")

    def jung_order(
        self, label: str, path: Path, traits: tuple[str, ...], catalog: TraitCatalog, *, expected: tuple[str, ...] = ()
    ) -> None:
        try:
            order = recover_jung_order(traits, catalog, name=label)
        except DataError as exc:
            self.problem(path, f"the traits do not follow the scheme of traits.txt: {exc}")
            return
        if expected and order != expected:
            self.problem(
                path, f"Jung_order {' '.join(expected)} is not the order its traits were drawn with "
                f"({' '.join(order)}); fix Jung_order or redraw the profile",
            )  # fmt: skip


def _todo_options(item: Mapping[str, object]) -> bool:
    """True when an option still reads "TODO" (a template whose question was written but not its options)."""
    options = item.get("options")
    if not isinstance(options, list):
        return False
    return any(isinstance(o, str) and Question.strip_label(o).upper() == TEMPLATE_MARK for o in options)
