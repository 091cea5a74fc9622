"""Extra character folders (``LLMP_EXTRA_CHARACTERS``) join the dataset's characters."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from llmp_opencompass.data import HumanSimulacra
from llmp_opencompass.data.locate import open_store
from llmp_opencompass.data.records import QuestionType
from llmp_opencompass.errors import ConfigError, MalformedDataFileError, MissingDataFileError, UnknownCharacterError
from llmp_opencompass.settings.data import data_settings
from tests.support.character_folder import clone_character


@pytest.fixture()
def nora(shared_data_dir: Path, tmp_path: Path) -> Path:
    return clone_character(shared_data_dir, tmp_path / "nora")


def test_extra_character_is_listed_after_the_dataset_and_read_from_its_folder(shared_data_dir: Path, nora: Path):
    store = HumanSimulacra(shared_data_dir, extra=[nora])
    assert store.names()[-1] == "Nora Quill" and len(store.names()) == 12
    assert store.resolve_name("nora_quill") == "Nora Quill"
    assert store.folder("Nora Quill").root == nora.resolve()
    assert store.folder("Mary Jones") is None
    cloze = store.questions("Nora Quill", QuestionType.CLOZE)
    assert cloze[0].answer == ("Nora Quill",)
    assert len(store.questions("nora quill", QuestionType.MULTIPLE_CHOICES)) == 5
    assert store.story("Nora Quill").paragraphs[0] == (nora / "story.txt").read_text().splitlines()[0].strip()
    mary = store.memory("Mary Jones")
    assert [e.key for e in store.memory("Nora Quill").entries] == [e.key for e in mary.entries]
    # the dataset's own characters are untouched (and still verified)
    assert store.questions("Mary Jones", QuestionType.CLOZE)[0].answer == ("Mary Jones",)


def test_extra_characters_come_from_the_environment(shared_data_dir: Path, nora: Path):
    settings = data_settings(
        {"LLMP_DATA_DIR": str(shared_data_dir), "LLMP_EXTRA_CHARACTERS": f" {nora} ,"}
    )
    assert settings.extra_characters == (nora.resolve(),)
    assert "Nora Quill" in open_store(settings).names()


def test_a_missing_extra_folder_is_named(shared_data_dir: Path, tmp_path: Path):
    with pytest.raises(ConfigError, match=r"LLMP_EXTRA_CHARACTERS: .*nowhere is not a directory"):
        data_settings(
            {"LLMP_DATA_DIR": str(shared_data_dir), "LLMP_EXTRA_CHARACTERS": str(tmp_path / "nowhere")}
        )
    with pytest.raises(
        MissingDataFileError, match=r"has no card.json; create one with `llmp-opencompass character new"
    ):
        HumanSimulacra(shared_data_dir, extra=[tmp_path])


def test_a_name_clash_with_the_dataset_is_an_error(shared_data_dir: Path, tmp_path: Path):
    clone = clone_character(shared_data_dir, tmp_path / "twin", name="Mary Jones")
    with pytest.raises(ConfigError, match=r"named 'Mary Jones', like a dataset character"):
        HumanSimulacra(shared_data_dir, extra=[clone]).names()


def test_unknown_names_list_the_extra_characters_too(shared_data_dir: Path, nora: Path):
    with pytest.raises(UnknownCharacterError, match="Nora Quill"):
        HumanSimulacra(shared_data_dir, extra=[nora]).character("Nobody Here")


def test_a_broken_extra_file_names_the_file_and_the_fix(shared_data_dir: Path, nora: Path):
    (nora / "Questions" / "Cloze.json").write_text("[{", encoding="utf-8")
    store = HumanSimulacra(shared_data_dir, extra=[nora])
    with pytest.raises(MalformedDataFileError, match=r"Cloze.json: invalid JSON .*character validate"):
        store.questions("Nora Quill", QuestionType.CLOZE)
    (nora / "card.json").write_text(json.dumps({"Name": "Nora Quill"}), encoding="utf-8")
    with pytest.raises(MalformedDataFileError, match=r"card.json: not a character card"):
        HumanSimulacra(shared_data_dir, extra=[nora]).names()


def test_a_missing_memory_says_how_to_build_it(shared_data_dir: Path, nora: Path):
    for path in (nora / "Memories").iterdir():
        path.unlink()
    with pytest.raises(MissingDataFileError, match=r"no MACM memory yet; build it with `llmp-opencompass memory build"):
        HumanSimulacra(shared_data_dir, extra=[nora]).memory("Nora Quill")
