"""HumanSimulacra store and records on the shared copy, and its errors on broken copies."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from llmp_opencompass.data import SCORED_TYPES, HumanSimulacra, Manifest, QuestionType
from llmp_opencompass.errors import (
    CorruptDataFileError,
    MalformedDataFileError,
    MissingDataFileError,
    UnknownCharacterError,
)
from tests.support.data_server import MARY_CLOZE

NAMES = (
    "Mary Jones",
    "Sara Ochoa",
    "Tami Clark",
    "Michael Miller",
    "Haley Collins",
    "James Jones",
    "Kevin Kelly",
    "Erica Walker",
    "Leslie Nichols",
    "Robert Scott",
    "Marsh Zhaleh",
)
PARAGRAPHS = {
    "Marsh Zhaleh": 126,
    "Mary Jones": 153,
    "Sara Ochoa": 180,
    "Tami Clark": 150,
    "Michael Miller": 141,
    "Haley Collins": 171,
    "James Jones": 153,
    "Kevin Kelly": 178,
    "Erica Walker": 163,
    "Leslie Nichols": 175,
    "Robert Scott": 172,
}


def test_characters_in_file_order(store: HumanSimulacra) -> None:
    characters = store.characters()
    assert store.names() == NAMES
    assert [c.id for c in characters] == [f"{i:03d}" for i in (*range(1, 11), 0)]
    mary = store.character("Mary Jones")
    assert mary.slug == "mary_jones"
    assert len(mary.traits) == 20
    assert "Age: 29" in mary.basic_information()


def test_five_scored_questions_per_type_per_character(store: HumanSimulacra) -> None:
    for name in NAMES:
        for qtype in SCORED_TYPES:
            questions = store.questions(name, qtype)
            assert [q.number for q in questions] == [1, 2, 3, 4, 5]
            assert all(q.character == name and q.type is qtype and q.text for q in questions)


def test_mary_jones_gold_answers(store: HumanSimulacra) -> None:
    cloze = store.questions("Mary Jones", QuestionType.CLOZE)
    assert [q.answer for q in cloze] == [
        ("Mary Jones",),
        ("Female",),
        ("29",),
        ("1994-06-27",),
        ("Forestry worker",),
    ]
    assert all(q.options == () for q in cloze)
    single = store.questions("Mary Jones", QuestionType.SINGLE_CHOICE)
    assert [q.answer for q in single] == [("B",), ("D",), ("A",), ("C",), ("B",)]
    assert single[0].options[:2] == ("low-income, extended family", "low-income, nuclear family")
    assert single[0].gold_indices == (1,)
    multiple = store.questions("Mary Jones", QuestionType.MULTIPLE_CHOICES)
    assert [q.answer for q in multiple] == [
        ("C", "E", "F"),
        ("A", "B", "F"),
        ("D", "E", "F"),
        ("B", "C", "D"),
        ("B", "D", "F"),
    ]
    assert multiple[0].options == (
        "drawing",
        "scuba diving",
        "rock climbing",
        "learning languages",
        "gardening",
        "birdwatching",
    )


def test_open_ended_only_for_mary_jones_and_haley_collins(store: HumanSimulacra) -> None:
    available = {name for name in NAMES if store.open_ended_available(name)}
    assert available == {"Mary Jones", "Haley Collins"}
    items = store.questions("Haley Collins", QuestionType.OPEN_ENDED)
    assert len(items) == 5 and all(q.text and q.answer == () and q.options == () for q in items)
    assert store.questions("Sara Ochoa", QuestionType.OPEN_ENDED) == ()


def test_memory_entry_counts_and_fields(store: HumanSimulacra) -> None:
    counts = {name: len(store.memory(name).entries) for name in NAMES}
    assert counts["Mary Jones"] == 77 and counts["Marsh Zhaleh"] == 65
    assert sum(counts.values()) == 887
    memory = store.memory("Mary Jones")
    assert [e.key for e in memory.entries] == [f"{i:03d}" for i in range(1, 78)]
    first = memory.get("001")
    assert first is not None and first.content.startswith("As the sun set")
    assert all(e.summary and e.content and e.thinking and e.emotion for e in memory.entries)
    assert memory.get("999") is None


def test_story_paragraph_counts(store: HumanSimulacra) -> None:
    assert {name: len(store.story(name).paragraphs) for name in NAMES} == PARAGRAPHS
    story = store.story("Mary Jones")
    assert story.paragraphs[0].startswith("On ") and all(p == p.strip() and p for p in story.paragraphs)


def test_unknown_character_lists_valid_names_and_suggests_closest(store: HumanSimulacra) -> None:
    with pytest.raises(UnknownCharacterError) as caught:
        store.character("Mary Jone")
    message = str(caught.value)
    assert message.startswith("unknown character 'Mary Jone'. Did you mean 'Mary Jones'? Valid names: ")
    assert all(name in message for name in NAMES)
    assert isinstance(caught.value, KeyError)
    with pytest.raises(UnknownCharacterError, match="Valid names"):
        store.questions("Nobody At All", QuestionType.CLOZE)


@pytest.mark.parametrize("alias", ["mary_jones", "MARY JONES", "mary jones", "Mary-Jones", " Mary  Jones "])
def test_name_lookup_by_case_and_slug(store: HumanSimulacra, alias: str) -> None:
    assert store.character(alias).name == "Mary Jones"
    assert store.questions(alias, QuestionType.CLOZE) is store.questions("Mary Jones", QuestionType.CLOZE)


def test_store_accepts_root_llmp_or_characters_dir(shared_data_dir: Path) -> None:
    for path in (shared_data_dir, shared_data_dir / "LLMP", shared_data_dir / "LLMP" / "Characters"):
        assert HumanSimulacra(path).characters_dir == shared_data_dir / "LLMP" / "Characters"
    with pytest.raises(MissingDataFileError, match="llmp-opencompass data download"):
        HumanSimulacra(shared_data_dir / "nowhere")


def test_files_are_read_once(data_copy: Path) -> None:
    store = HumanSimulacra(data_copy)
    first = store.questions("Mary Jones", QuestionType.CLOZE)
    (data_copy / MARY_CLOZE).unlink()
    assert store.questions("Mary Jones", QuestionType.CLOZE) is first


def _flip_answer(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('["Mary Jones"]', '["Mary Jonez"]'), encoding="utf-8")


def test_corrupt_file_names_file_hashes_and_fix(data_copy: Path, manifest: Manifest) -> None:
    _flip_answer(data_copy / MARY_CLOZE)
    with pytest.raises(CorruptDataFileError) as caught:
        HumanSimulacra(data_copy).questions("Mary Jones", QuestionType.CLOZE)
    message = str(caught.value)
    entry = manifest.entry(MARY_CLOZE)
    assert entry is not None
    assert str(data_copy / MARY_CLOZE) in message and entry.sha256 in message
    assert "llmp-opencompass data download" in message and "LLMP_DATA_VERIFY=off" in message


def test_edited_file_loads_with_verification_off(data_copy: Path) -> None:
    _flip_answer(data_copy / MARY_CLOZE)
    cloze = HumanSimulacra(data_copy, verify=False).questions("Mary Jones", QuestionType.CLOZE)
    assert cloze[0].answer == ("Mary Jonez",)


def test_missing_file_names_path_and_fix(data_copy: Path) -> None:
    story = data_copy / "LLMP/Characters/Stories/Mary Jones/Mary Jones.txt"
    story.unlink()
    with pytest.raises(MissingDataFileError) as caught:
        HumanSimulacra(data_copy).story("Mary Jones")
    assert str(story) in str(caught.value) and "llmp-opencompass data download" in str(caught.value)


def test_malformed_json_names_file_line_and_column(data_copy: Path) -> None:
    path = data_copy / MARY_CLOZE
    path.write_text('[\n  {\n    "type": oops\n  }\n]\n', encoding="utf-8")
    with pytest.raises(MalformedDataFileError) as caught:
        HumanSimulacra(data_copy, verify=False).questions("Mary Jones", QuestionType.CLOZE)
    assert str(path) in str(caught.value) and "line 3, column 13" in str(caught.value)


def test_choice_answer_outside_options_names_file_and_item(data_copy: Path) -> None:
    path = data_copy / "LLMP/Characters/Questions/Mary Jones/Single_choice.json"
    items = json.loads(path.read_text(encoding="utf-8"))
    items[1]["answer"] = ["E"]
    path.write_text(json.dumps(items), encoding="utf-8")
    with pytest.raises(MalformedDataFileError) as caught:
        HumanSimulacra(data_copy, verify=False).questions("Mary Jones", QuestionType.SINGLE_CHOICE)
    assert f"{path}, item 2" in str(caught.value) and "'E' is not among the options A-D" in str(caught.value)


def test_memory_keys_must_match_index(data_copy: Path) -> None:
    index = data_copy / "LLMP/Characters/Memories/Mary Jones/index.json"
    summaries = json.loads(index.read_text(encoding="utf-8"))
    del summaries["077"]
    index.write_text(json.dumps(summaries), encoding="utf-8")
    with pytest.raises(MalformedDataFileError, match=r"keys differ from index\.json beside it: 077"):
        HumanSimulacra(data_copy, verify=False).memory("Mary Jones")


def test_duplicate_option_text_is_shown_once_and_stays_gold(shared_data_dir) -> None:
    from llmp_opencompass.data.records import QuestionType
    from llmp_opencompass.data.store import HumanSimulacra

    item = HumanSimulacra(shared_data_dir).questions("Leslie Nichols", QuestionType.MULTIPLE_CHOICES)[0]
    assert item.options.count("playing football") == 1 and len(item.options) == 5
    assert {item.options[i] for i in item.gold_indices} >= {"playing football"}
    assert len(item.answer) == 3
