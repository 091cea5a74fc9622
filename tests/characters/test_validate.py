"""Checking a character folder: a good folder passes, each defect is a problem naming its file."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from llmp_opencompass.characters.attribute_pools import AttributePools
from llmp_opencompass.characters.profile import Profile
from llmp_opencompass.characters.profile_draw import draw_profile
from llmp_opencompass.characters.questionnaire import build_questionnaire, write_questionnaire
from llmp_opencompass.characters.validate import PARTS, validate_folder
from llmp_opencompass.characters.validation_report import ValidationReport
from llmp_opencompass.data import HumanSimulacra
from llmp_opencompass.data.layout import CharacterFolder
from llmp_opencompass.data.traits import TraitCatalog
from llmp_opencompass.errors import ConfigError
from tests.characters.test_questionnaire import _complete

MEMORY = {"Memory_Summary": "s", "Memory": {"Memory Content": "c", "Thinking": "t", "Emotion": "e"}}


@pytest.fixture(scope="module")
def profile(pools: AttributePools, catalog: TraitCatalog) -> Profile:
    return draw_profile(pools, catalog, seed=8, as_of=date(2024, 5, 1))


def _dump(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=4, ensure_ascii=False), encoding="utf-8")


def _load(path: Path) -> object:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture
def folder(tmp_path: Path, profile: Profile, pools: AttributePools) -> CharacterFolder:
    """A complete, valid character folder."""
    folder = CharacterFolder(tmp_path / "Ada")
    _dump(folder.profile, profile.to_json())
    _dump(folder.card, profile.card("She was born.\n\nShe grew up."))
    folder.story.write_text("She was born in a small town.\nShe grew up.\n", encoding="utf-8")
    write_questionnaire(folder, _complete(build_questionnaire(profile, pools, seed=1)))
    _dump(folder.memories / "index.json", {"001": "s", "002": "s"})
    _dump(folder.memories / "long_memory.json", {"001": MEMORY, "002": MEMORY})
    return folder


def _has(report: ValidationReport, name: str, pattern: str) -> bool:
    return any(p.path.name == name and re.search(pattern, p.message) for p in report.problems)


def test_a_good_folder_passes(folder: CharacterFolder, catalog: TraitCatalog) -> None:
    report = validate_folder(folder.root, require=set(PARTS), catalog=catalog)
    assert report.ok, report.format()
    assert report.checked == ("card", "profile", "story", "questions", "memory")
    assert report.notes == ("Open-Ended.json: 5 empty placeholder(s), skipped; write scenarios to use them",)
    assert report.format().splitlines()[0] == f"{folder.root}: ok (checked card, profile, story, questions, memory)"


def test_a_card_alone_is_a_character(folder: CharacterFolder) -> None:
    for path in (folder.profile, folder.story):
        path.unlink()
    shutil.rmtree(folder.questions_dir)
    shutil.rmtree(folder.memories)
    assert validate_folder(folder.root).ok
    report = validate_folder(folder.root, require={"profile", "story", "questions", "memory"})
    assert [p.path.name for p in report.problems] == ["profile.json", "story.txt", "Questions", "Memories"]
    commands = "\n".join(p.message for p in report.problems)
    assert f"`llmp-opencompass character story {folder.root}`" in commands
    assert f"`llmp-opencompass character questions {folder.root}`" in commands
    assert "`llmp-opencompass memory build --character" in commands and "--out" in commands


def _card(edit: Callable[[dict], None]) -> Callable[[CharacterFolder], None]:
    def change(folder: CharacterFolder) -> None:
        card = _load(folder.card)
        edit(card)
        _dump(folder.card, card)

    return change


def _file(rel: str, edit: Callable[[object], object]) -> Callable[[CharacterFolder], None]:
    def change(folder: CharacterFolder) -> None:
        _dump(folder.root / rel, edit(_load(folder.root / rel)))

    return change


def _write(rel: str, data: bytes) -> Callable[[CharacterFolder], None]:
    return lambda folder: (folder.root / rel).write_bytes(data)


def _item(rel: str, number: int, **values: object) -> Callable[[CharacterFolder], None]:
    def edit(records: object) -> object:
        records[number - 1].update(values)
        return records

    return _file(rel, edit)


DEFECTS = {
    "card missing": (lambda f: f.card.unlink(), "card.json", "missing; create it with `llmp-opencompass character new"),
    "card not JSON": (_write("card.json", b"{"), "card.json", "invalid JSON at line 1"),
    "card list": (_file("card.json", lambda c: [c]), "card.json", "expected one card object .*, got list"),
    "card key missing": (_card(lambda c: c.pop("Content")), "card.json", "missing key 'Content'"),
    "card no name": (_card(lambda c: c.update(Name=" ")), "card.json", "'Name' is empty"),
    "card no biography": (_card(lambda c: c.update(Content="")), "card.json", "'Content' .* is empty"),
    "card markers": (
        _card(lambda c: c.update(Basic_infos=c["Basic_infos"].strip('"\n'))),
        "card.json",
        "'Basic_infos' must be one line between two lines",
    ),
    "card 19 traits": (
        _card(lambda c: c.update(Personality_traits=c["Personality_traits"].rsplit(" - ", 1)[0])),
        "card.json",
        "holds 19 statements, not 20",
    ),
    "profile differs": (
        _card(lambda c: c.update(Personality_traits=c["Personality_traits"].rsplit(" - ", 1)[0] + " - I sing.")),
        "profile.json",
        r"Traits differ from card.json's Personality_traits \(first at statement 20\)",
    ),
    "profile name": (_file("profile.json", lambda p: p | {"Name": "Bo"}), "profile.json", "Name 'Bo' differs"),
    "profile age": (_file("profile.json", lambda p: p | {"Age": 99}), "profile.json", "age 99 does not match"),
    "profile key": (_file("profile.json", lambda p: p | {"Seed": "x"}), "profile.json", "'Seed' must be int"),
    "story empty": (_write("story.txt", b"\n  \n"), "story.txt", "holds no paragraph"),
    "story not UTF-8": (_write("story.txt", b"caf\xe9\n"), "story.txt", "not UTF-8 at byte 3"),
    "template left": (
        _item("Questions/Single_choice.json", 4, question="TODO: ask", answer=[]),
        "Single_choice.json",
        "item 4 is still a TODO template; complete the item or delete it",
    ),
    "template options left": (
        _item("Questions/Multiple_choices.json", 5, options=["A. x", "B. TODO", "C. y", "D. z", "E. v", "F. w"]),
        "Multiple_choices.json",
        "item 5 is still a TODO template",
    ),
    "open-ended template": (
        _item("Questions/Open-Ended.json", 2, question="TODO: a scenario"),
        "Open-Ended.json",
        "item 2 is still a TODO template",
    ),
    "bad answer": (
        _item("Questions/Multiple_choices.json", 1, answer=["A", "Z"]),
        "Multiple_choices.json",
        "item 1: answer 'Z' is not among the options A-F",
    ),
    "two single answers": (
        _item("Questions/Single_choice.json", 2, answer=["A", "B"]),
        "Single_choice.json",
        "item 2: a Single_choice item needs exactly one answer letter",
    ),
    "empty scored question": (
        _item("Questions/Cloze.json", 3, question=""),
        "Cloze.json",
        "item 3 has no question",
    ),
    "cloze without answer": (_item("Questions/Cloze.json", 1, answer=[""]), "Cloze.json", "item 1: .*accepted answer"),
    "questions not a list": (_file("Questions/Cloze.json", lambda q: q[0]), "Cloze.json", "expected a list"),
    "unknown questions file": (_write("Questions/Essay.json", b"[]"), "Essay.json", "not a questionnaire file"),
    "questions file missing": (
        lambda f: f.questions("Cloze").unlink(),
        "Questions",
        "no Cloze.json; create the questionnaire with `llmp-opencompass character questions",
    ),
    "memory keys differ": (
        _file("Memories/index.json", lambda i: i | {"003": "s"}),
        "long_memory.json",
        "keys differ from index.json",
    ),
    "memory field": (
        _file("Memories/long_memory.json", lambda m: m | {"002": {"Memory_Summary": "s", "Memory": {}}}),
        "long_memory.json",
        "memory '002': missing or wrong field",
    ),
    "memory file missing": (
        lambda f: (f.memories / "long_memory.json").unlink(),
        "long_memory.json",
        "missing; build the memory with `llmp-opencompass memory build --character",
    ),
    "memory index empty": (_write("Memories/index.json", b"{}"), "index.json", "non-empty object"),
}


@pytest.mark.parametrize("defect", sorted(DEFECTS))
def test_each_defect_is_a_problem_naming_the_file(folder: CharacterFolder, defect: str) -> None:
    change, name, pattern = DEFECTS[defect]
    assert validate_folder(folder.root).ok
    change(folder)
    report = validate_folder(folder.root)
    assert not report.ok
    assert _has(report, name, pattern), report.format()
    assert all(p.path.is_relative_to(folder.root) for p in report.problems)


def test_the_jung_order_is_checked_with_the_catalog(folder: CharacterFolder, catalog: TraitCatalog) -> None:
    profile = _load(folder.profile)
    _dump(folder.profile, profile | {"Jung_order": profile["Jung_order"][::-1]})
    assert validate_folder(folder.root).ok
    report = validate_folder(folder.root, catalog=catalog)
    assert _has(report, "profile.json", "is not the order its traits were drawn with")
    card = _load(folder.card)
    _dump(folder.card, card | {"Personality_traits": card["Personality_traits"].replace("- I", "- You", 1)})
    assert _has(validate_folder(folder.root, catalog=catalog), "card.json", "do not follow the scheme of traits.txt")


def test_a_template_left_is_reported_in_the_format(tmp_path: Path, profile: Profile, pools: AttributePools) -> None:
    folder = CharacterFolder(tmp_path)
    _dump(folder.card, profile.card("Bio."))
    write_questionnaire(folder, build_questionnaire(profile, pools, seed=1))
    report = validate_folder(tmp_path)
    flagged = [(p.path.name, p.message.split(" is ")[0]) for p in report.problems]
    assert flagged == [
        ("Multiple_choices.json", "item 3"),
        ("Multiple_choices.json", "item 4"),
        ("Multiple_choices.json", "item 5"),
        ("Single_choice.json", "item 4"),
        ("Single_choice.json", "item 5"),
    ]
    text = report.format()
    assert text.splitlines()[0] == f"{tmp_path}: 5 problem(s) (checked card, questions)"
    assert f"  - {folder.questions('Single_choice')}: item 5 is still a TODO template" in text


def test_a_real_character_passes(tmp_path: Path, shared_data_dir: Path, store: HumanSimulacra, catalog) -> None:
    characters = shared_data_dir / "LLMP/Characters"
    cards = _load(characters / "character_introductions.json")
    folder = CharacterFolder(tmp_path / "Mary")
    _dump(folder.card, next(c for c in cards if c["Name"] == "Mary Jones"))
    shutil.copyfile(characters / "Stories/Mary Jones/Mary Jones.txt", folder.story)
    shutil.copytree(characters / "Questions/Mary Jones", folder.questions_dir)
    shutil.copytree(characters / "Memories/Mary Jones", folder.memories)
    report = validate_folder(folder.root, require={"story", "questions", "memory"}, catalog=catalog)
    assert report.ok, report.format()
    assert report.notes == ()


def test_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"unknown folder part.*photo.*valid: card, profile"):
        validate_folder(tmp_path, require={"photo"})
    report = validate_folder(tmp_path / "nowhere")
    assert not report.ok and "not a folder; create a character with" in report.problems[0].message
