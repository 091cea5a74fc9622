"""A made character (``LLMP_EXTRA_CHARACTERS``) is evaluated by the self-report, Jung and
bandwagon configs like a dataset character (in-process: builders, loaders, model)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from llmp_opencompass.adapters.bandwagon import builder as bandwagon
from llmp_opencompass.adapters.jung import builder as jung
from llmp_opencompass.adapters.jung.dataset import JungDataset
from llmp_opencompass.adapters.model import SimulacrumModel
from llmp_opencompass.adapters.selfreport import builder as selfreport
from llmp_opencompass.adapters.selfreport.dataset import SelfReportDataset
from tests.support.character_folder import clone_character

MARY_ORDER = ["Se", "Ti", "Fi", "Ni", "Te", "Si", "Ne", "Fe"]


@pytest.fixture()
def nora(shared_data_dir: Path, tmp_path: Path) -> Path:
    return clone_character(shared_data_dir, tmp_path / "nora")


def _env(data: Path, folder: Path) -> dict[str, str]:
    return {"LLMP_MODEL": "m", "OPENAI_BASE_URL": "http://127.0.0.1:9/v1", "LLMP_DATA_DIR": str(data),
            "LLMP_EXTRA_CHARACTERS": str(folder), "LLMP_CHARACTERS": "Nora Quill,Mary Jones"}  # fmt: skip


@pytest.mark.parametrize(
    "builder", [selfreport.build, jung.build, bandwagon.build], ids=["selfreport", "jung", "bandwagon"]
)
def test_every_builder_evaluates_the_made_character(shared_data_dir: Path, nora: Path, builder) -> None:
    built = builder("prompt", _env(shared_data_dir, nora)) if builder is selfreport.build else builder(
        "prompt", environ=_env(shared_data_dir, nora))  # fmt: skip
    first = built["model_dataset_combinations"][0]
    assert all("nora_quill" in d["abbr"] for d in first["datasets"])
    assert [m["character"] for m in first["models"]] == ["Nora Quill"]
    assert first["models"][0]["extra_characters"] == [str(nora.resolve())]
    assert any("mary_jones" in d["abbr"] for d in built["datasets"])


def test_loaders_and_model_read_the_made_character(shared_data_dir: Path, nora: Path) -> None:
    data = str(shared_data_dir / "LLMP" / "Characters")
    rows = SelfReportDataset.load("Nora Quill", "Cloze", data_dir=data, extra_characters=[str(nora)])
    assert json.loads(rows[0]["reference"])["gold"] == ["Nora Quill"]
    jung_rows = JungDataset.load(data, "nora_quill", ratio=0.1, extra_characters=[str(nora)])
    assert json.loads(jung_rows[0]["reference"])["true_order"] == MARY_ORDER  # the cloned traits' order
    model = SimulacrumModel(path="m", character="Nora Quill", data_dir=data, method="prompt",
                            extra_characters=[str(nora)], openai_api_base="http://127.0.0.1:9/v1")  # fmt: skip
    character = model.simulacrum.character  # type: ignore[attr-defined]
    assert character.name == "Nora Quill" and "Nora Quill" in character.basic_information()
