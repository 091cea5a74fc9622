"""The questionnaire of a drawn profile: upstream shapes, seeded distractors, templates, writing."""

from __future__ import annotations

import copy
import dataclasses
import json
from datetime import date
from pathlib import Path

import pytest

from llmp_opencompass.characters.attribute_pools import AttributePools
from llmp_opencompass.characters.profile import Profile
from llmp_opencompass.characters.profile_draw import draw_profile
from llmp_opencompass.characters.questionnaire import (
    ITEMS_PER_TYPE,
    build_questionnaire,
    is_template,
    write_questionnaire,
)
from llmp_opencompass.data.layout import CharacterFolder
from llmp_opencompass.data.parsers import parse_questions
from llmp_opencompass.data.records import Question, QuestionType
from llmp_opencompass.data.traits import TraitCatalog
from llmp_opencompass.errors import ConfigError, MalformedDataFileError

TYPES = [t.value for t in QuestionType]


@pytest.fixture(scope="module")
def profile(pools: AttributePools, catalog: TraitCatalog) -> Profile:
    return draw_profile(pools, catalog, seed=21, as_of=date(2024, 5, 1), fixed={"occupation": "forestry worker"})


def _gold(record: dict) -> list[str]:
    return [Question.strip_label(record["options"]["ABCDEF".index(a)]) for a in record["answer"]]


def _texts(record: dict) -> list[str]:
    return [Question.strip_label(o) for o in record["options"]]


def test_every_type_has_five_upstream_records(profile: Profile, pools: AttributePools) -> None:
    q = build_questionnaire(profile, pools, seed=1)
    assert list(q) == TYPES
    for qtype, records in q.items():
        assert len(records) == ITEMS_PER_TYPE
        for record in records:
            assert list(record) == ["type", "question", "options", "answer"] and record["type"] == qtype
            assert isinstance(record["options"], list) and isinstance(record["answer"], list)


def test_cloze_answers_come_from_the_profile(profile: Profile, pools: AttributePools) -> None:
    cloze = build_questionnaire(profile, pools, seed=1)["Cloze"]
    assert [r["answer"] for r in cloze] == [
        [profile.name],
        [profile.gender.capitalize()],
        [str(profile.age)],
        [profile.date_of_birth],
        ["Forestry worker"],
    ]
    assert all(r["options"] == [""] for r in cloze)
    assert "YYYY-MM-DD" in cloze[3]["question"]


def test_single_choice_items(profile: Profile, pools: AttributePools) -> None:
    single = build_questionnaire(profile, pools, seed=1)["Single_choice"]
    truths = [
        (profile.family, pools.families),
        (profile.education, pools.educations),
        (profile.long_term_goal, pools.long_term_goals),
    ]
    for record, (truth, pool) in zip(single[:3], truths, strict=True):
        assert [o[:3] for o in record["options"]] == ["A. ", "B. ", "C. ", "D. "]
        assert len(record["answer"]) == 1 and _gold(record) == [truth]
        distractors = [t for t in _texts(record) if t != truth]
        assert len(set(distractors)) == 3 and set(distractors) <= set(pool)
        assert not is_template(record)
    for record in single[3:]:
        assert is_template(record) and record["answer"] == [] and len(record["options"]) == 4


def test_multiple_choice_items(profile: Profile, pools: AttributePools) -> None:
    multiple = build_questionnaire(profile, pools, seed=1)["Multiple_choices"]
    for record, truths, pool in [
        (multiple[0], profile.hobbies, pools.hobbies),
        (multiple[1], profile.short_term_goals, pools.short_term_goals),
    ]:
        assert [o[:3] for o in record["options"]] == ["A. ", "B. ", "C. ", "D. ", "E. ", "F. "]
        assert record["answer"] == sorted(record["answer"]) and len(record["answer"]) == 3
        assert set(_gold(record)) == set(truths)
        distractors = set(_texts(record)) - set(truths)
        assert len(distractors) == 3 and distractors <= set(pool)
    for record in multiple[2:]:
        assert is_template(record) and record["answer"] == [] and len(record["options"]) == 6


def test_open_ended_items_are_empty_placeholders(profile: Profile, pools: AttributePools) -> None:
    records = build_questionnaire(profile, pools, seed=1)["Open-Ended"]
    assert records == [{"type": "Open-Ended", "question": "", "options": [""], "answer": [""]}] * 5
    assert parse_questions(records, profile.name, QuestionType.OPEN_ENDED, Path("Open-Ended.json")) == ()


def test_the_questionnaire_is_seeded(profile: Profile, pools: AttributePools) -> None:
    assert build_questionnaire(profile, pools, seed=3) == build_questionnaire(profile, pools, seed=3)
    choices = {json.dumps(build_questionnaire(profile, pools, seed=s)["Multiple_choices"]) for s in range(10)}
    assert len(choices) == 10


def test_values_outside_the_pools_get_pool_distractors(pools: AttributePools, catalog: TraitCatalog) -> None:
    fixed = {"family": "a commune", "hobbies": "chess, reading, judo"}
    p = draw_profile(pools, catalog, seed=2, as_of=date(2024, 5, 1), fixed=fixed)
    q = build_questionnaire(p, pools, seed=2)
    assert _gold(q["Single_choice"][0]) == ["a commune"]
    hobbies = q["Multiple_choices"][0]
    assert set(_gold(hobbies)) == {"chess", "reading", "judo"} and len(set(_texts(hobbies))) == 6


def test_small_pools_are_a_clear_error(profile: Profile, pools: AttributePools) -> None:
    enough = dataclasses.replace(pools, families=(profile.family, "a", "b", "c"))
    assert sorted(_texts(build_questionnaire(profile, enough, seed=1)["Single_choice"][0])) == sorted(enough.families)
    small = dataclasses.replace(pools, families=(profile.family, "a", "b"))
    with pytest.raises(ConfigError, match=r"family.txt has 2 item\(s\) besides the character's own; 3 distractors"):
        build_questionnaire(profile, small, seed=1)


def test_completed_files_load_and_templates_do_not(profile: Profile, pools: AttributePools) -> None:
    q = build_questionnaire(profile, pools, seed=1)
    assert len(parse_questions(q["Cloze"], profile.name, QuestionType.CLOZE, Path("Cloze.json"))) == 5
    for qtype in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICES):  # the runtime loader rejects templates
        with pytest.raises(MalformedDataFileError, match="answer letter"):
            parse_questions(q[qtype.value], profile.name, qtype, Path(f"{qtype.value}.json"))
    done = _complete(q)
    for qtype in (QuestionType.CLOZE, QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICES):
        questions = parse_questions(done[qtype.value], profile.name, qtype, Path(f"{qtype.value}.json"))
        assert len(questions) == 5
    first = parse_questions(done["Single_choice"], profile.name, QuestionType.SINGLE_CHOICE, Path("x"))[0]
    assert first.options[first.gold_indices[0]] == profile.family


def _complete(questionnaire: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """Fill the templates as a person would."""
    done = copy.deepcopy(questionnaire)
    for record in done["Single_choice"] + done["Multiple_choices"]:
        if is_template(record):
            record["question"] = "Which of these happened in your story?"
            record["options"] = [f"{letter}. event {letter}" for letter in "ABCDEF"[: len(record["options"])]]
            record["answer"] = ["B"] if record["type"] == "Single_choice" else ["A", "C", "F"]
    return done


def test_write_questionnaire(tmp_path: Path, profile: Profile, pools: AttributePools) -> None:
    folder = CharacterFolder(tmp_path / "Ada")
    q = build_questionnaire(profile, pools, seed=1)
    paths = write_questionnaire(folder, q)
    assert paths == tuple(folder.questions(t) for t in TYPES)
    text = folder.questions("Single_choice").read_text(encoding="utf-8")
    assert text.startswith('[\n    {\n        "type": "Single_choice",') and json.loads(text) == q["Single_choice"]
    with pytest.raises(ConfigError, match=r"Cloze\.json.*already exist.*pass --force"):
        write_questionnaire(folder, q)
    changed = {"Cloze": q["Cloze"][:1]}
    write_questionnaire(folder, changed, overwrite=True)
    assert json.loads(folder.questions("Cloze").read_text(encoding="utf-8")) == q["Cloze"][:1]
    with pytest.raises(ConfigError, match=r"unknown questionnaire type.*Essay"):
        write_questionnaire(folder, {"Essay": []}, overwrite=True)
    assert sorted(p.name for p in folder.questions_dir.iterdir()) == sorted(f"{t}.json" for t in TYPES)


def test_non_ascii_is_written_as_is(tmp_path: Path, pools: AttributePools, catalog: TraitCatalog) -> None:
    p = draw_profile(pools, catalog, seed=1, as_of=date(2024, 5, 1), fixed={"name": "Zoë Ødegård"})
    folder = CharacterFolder(tmp_path)
    write_questionnaire(folder, build_questionnaire(p, pools, seed=1))
    assert "Zoë Ødegård" in folder.questions("Cloze").read_text(encoding="utf-8")
