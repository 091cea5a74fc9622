"""The drop-in configs as a user's lazy config sees them through ``read_base()``: abbrs,
prompt templates, the ``_gen_<hash>`` suffixes, and the summary groups (checked with
OpenCompass's own summarizer arithmetic)."""

from __future__ import annotations

from pathlib import Path

import pytest
from mmengine.config import Config

from llmp_opencompass.adapters.selfreport.summary import selfreport_summary_groups
from llmp_opencompass.data.records import SCORED_TYPES
from llmp_opencompass.data.store import HumanSimulacra
from tests.conftest import PROJECT_ROOT

PACKAGE_CONFIGS = PROJECT_ROOT / "llmp_opencompass" / "configs"
USER_CONFIG = """
from mmengine.config import read_base

with read_base():
    from llmp_opencompass.configs.datasets.llmp.llmp_selfreport_gen import llmp_datasets
    from llmp_opencompass.configs.datasets.llmp.llmp_selfreport_rag_gen import llmp_rag_datasets
    from llmp_opencompass.configs.datasets.llmp.llmp_selfreport_circular_gen import llmp_circular_datasets
    from llmp_opencompass.configs.datasets.llmp.llmp_jung_gen import llmp_jung_datasets
    from llmp_opencompass.configs.summarizers.groups.llmp import llmp_summary_groups
"""
pytestmark = pytest.mark.slow  # parsing the configs imports OpenCompass (about 20 s); the RAG load embeds
VARIANTS = ("blank", "prompt", "rag", "blank-circular", "prompt-circular")


@pytest.fixture(scope="module")
def dumped(tmp_path_factory: pytest.TempPathFactory) -> Config:
    """The user config, dumped and reloaded as OpenCompass does (types become dotted strings)."""
    directory = tmp_path_factory.mktemp("dropin_cfg")
    (directory / "user.py").write_text(USER_CONFIG)
    Config.fromfile(str(directory / "user.py")).dump(str(directory / "dump.py"))
    return Config.fromfile(str(directory / "dump.py"))


def test_abbrs_cover_every_character_type_and_variant(dumped: Config, shared_data_dir: Path) -> None:
    slugs = [c.slug for c in HumanSimulacra(shared_data_dir).characters()]
    expected = {
        (key, f"llmp-{variant}-{slug}-{t.slug}")
        for key, variants in [("llmp_datasets", ("blank", "prompt")), ("llmp_rag_datasets", ("rag",)),
                              ("llmp_circular_datasets", ("blank-circular", "prompt-circular"))]
        for variant in variants for slug in slugs for t in SCORED_TYPES
    }  # fmt: skip
    found = {(key, d["abbr"]) for key in ("llmp_datasets", "llmp_rag_datasets", "llmp_circular_datasets")
             for d in dumped[key]}  # fmt: skip
    assert found == expected
    assert all("data_dir" not in d for d in dumped["llmp_datasets"])  # found at load time


def test_persona_and_memories_go_into_a_system_round_with_fallback(dumped: Config) -> None:
    def begin(key: str, abbr_part: str) -> dict:
        dataset = next(d for d in dumped[key] if abbr_part in d["abbr"])
        assert dataset["type"].startswith("llmp_opencompass.adapters.")
        (first,) = dataset["infer_cfg"]["prompt_template"]["template"]["begin"]
        return first

    assert begin("llmp_datasets", "llmp-blank-") == dict(role="SYSTEM", fallback_role="HUMAN", prompt="{system}")
    assert begin("llmp_datasets", "llmp-prompt-")["prompt"] == "{persona}\n\n{system}"
    assert begin("llmp_rag_datasets", "llmp-rag-")["prompt"] == "{persona}\n\n{system}\n\n{memories}"


def test_hashed_file_names_are_the_prompt_hashes(dumped: Config) -> None:
    from opencompass.utils.prompt import get_prompt_hash

    for key, stem in [("llmp_datasets", "llmp_selfreport_gen"), ("llmp_rag_datasets", "llmp_selfreport_rag_gen"),
                      ("llmp_circular_datasets", "llmp_selfreport_circular_gen"),
                      ("llmp_jung_datasets", "llmp_jung_gen")]:  # fmt: skip
        expected = f"{stem}_{get_prompt_hash(dumped[key])[:6]}.py"
        assert (PACKAGE_CONFIGS / "datasets" / "llmp" / expected).is_file(), f"rename the {stem}_<hash> file"


def _plain(group: dict) -> dict:
    return {**group, "subsets": [tuple(s) for s in group["subsets"]]}


def test_groups_extend_the_builder_groups_with_weighted_scores(dumped: Config, shared_data_dir: Path) -> None:
    store = HumanSimulacra(shared_data_dir)
    slugs = [c.slug for c in store.characters()]
    groups = {g["name"]: g for g in dumped["llmp_summary_groups"]}
    for variant in VARIANTS:
        for group in selfreport_summary_groups(slugs, variant):
            assert _plain(groups[group["name"]]) == _plain(group), group["name"]
    for character in store.characters():
        weights = groups[f"llmp-prompt-{character.slug}-score"]["weights"]
        for qtype in SCORED_TYPES:
            most = sum(2 * len(q.answer) if q.type.is_choice else 2 for q in store.questions(character.name, qtype))
            assert weights[f"llmp-prompt-{character.slug}-{qtype.slug}"] == most


def test_selfreport_score_is_mean_points_out_of_50_as_0_to_100(dumped: Config) -> None:
    from opencompass.summarizers import DefaultSummarizer

    slugs = sorted({d["abbr"].split("-")[2] for d in dumped["llmp_datasets"]})
    most = {"cloze": 10, "single_choice": 10, "multiple_choices": 30}
    points = {(s, t): (i * 7 + len(t)) % (most[t] + 1) // 2 * 2 for i, s in enumerate(slugs) for t in most}
    parsed = {
        f"llmp-prompt-{s}-{t}": {"score": 100 * p / most[t], "points": p, "accuracy": 0.0}
        for (s, t), p in points.items()
    }
    summarizer = DefaultSummarizer(
        dict(models=[dict(abbr="m")], datasets=[], work_dir="unused"), summary_groups=dumped["llmp_summary_groups"]
    )
    _, results, _, _ = summarizer._calculate_group_metrics({"m": {}}, {"m": parsed}, {key: [] for key in parsed}, {})
    totals = [sum(points[(s, t)] for t in most) for s in slugs]
    assert results["m"][f"llmp-prompt-{slugs[0]}-score"]["weighted_average"] == pytest.approx(totals[0] * 2)
    assert results["m"]["llmp-prompt-selfreport-score"]["naive_average"] == pytest.approx(sum(totals) / len(slugs) * 2)
    assert results["m"]["llmp-prompt-selfreport-mean"]["naive_average"] == pytest.approx(sum(totals) / len(slugs))


def test_the_shipped_example_config_parses() -> None:
    config = Config.fromfile(str(PROJECT_ROOT / "configs" / "examples" / "llmp_dropin_openai_sdk.py"))
    assert len(config["datasets"]) == 66 and config["models"][0]["abbr"] == "gpt-4o-mini"
    summarizer = config["summarizer"]  # the package's summarizer config
    rows = [tuple(row) for row in summarizer["dataset_abbrs"]]
    assert rows[0] == ("llmp-prompt-selfreport-score", "naive_average") and len(rows) == 4
    groups = {g["name"] for g in summarizer["summary_groups"]}
    assert {"llmp-prompt-selfreport-score", "llmp-blank-selfreport-mean"} <= groups


def test_each_kind_of_dataset_loads_through_opencompass(
    dumped: Config, shared_data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from opencompass.utils import build_dataset_from_cfg

    monkeypatch.setenv("LLMP_DATA_DIR", str(shared_data_dir))  # read when the dataset loads, as in a task
    monkeypatch.setenv("LLMP_INDEX_CACHE_DIR", str(tmp_path))
    sizes = {}
    for key, abbr in [
        ("llmp_datasets", "llmp-prompt-mary_jones-cloze"),
        ("llmp_rag_datasets", "llmp-rag-mary_jones-cloze"),
        ("llmp_circular_datasets", "llmp-blank-circular-mary_jones-multiple_choices"),
    ]:
        config = next(d for d in dumped[key] if d["abbr"] == abbr)
        sizes[abbr] = len(build_dataset_from_cfg(config).test)
    assert sizes == {
        "llmp-prompt-mary_jones-cloze": 5, "llmp-rag-mary_jones-cloze": 5,
        "llmp-blank-circular-mary_jones-multiple_choices": 30,
    }  # fmt: skip
    assert list((tmp_path / "passages").glob("*.json"))  # retrieval results cached for the next load


def test_jung_datasets_cover_both_variants_and_load_with_the_persona(
    dumped: Config, shared_data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from opencompass.utils import build_dataset_from_cfg

    slugs = [c.slug for c in HumanSimulacra(shared_data_dir).characters()]
    assert {d["abbr"] for d in dumped["llmp_jung_datasets"]} == {
        f"llmp-jung-{v}-{s}" for v in ("blank", "prompt") for s in slugs
    }
    monkeypatch.setenv("LLMP_DATA_DIR", str(shared_data_dir))
    config = next(d for d in dumped["llmp_jung_datasets"] if d["abbr"] == "llmp-jung-prompt-mary_jones")
    rows = build_dataset_from_cfg(config).test
    assert len(rows) == 256 and "Mary Jones" in rows[0]["persona"]  # 4 of the 10 statements per function and level
    (begin,) = config["infer_cfg"]["prompt_template"]["template"]["begin"]
    assert begin["prompt"] == "{persona}\n\n{system}"
    groups = {g["name"]: g for g in dumped["llmp_summary_groups"]}
    assert [tuple(s) for s in groups["llmp-jung-prompt-kendall_tau"]["subsets"]] == [
        (f"llmp-jung-prompt-{s}", "kendall_tau") for s in slugs
    ]


def _picked(config: Config, suffix: str) -> list[str]:
    """The abbrs ``opencompass --datasets llmp_selfreport_gen/<suffix>`` takes: the lists whose names end so."""
    return sorted(d["abbr"] for key in config if key.endswith(suffix) for d in config[key])


def test_command_line_parts_of_the_repository_dataset_config(shared_data_dir: Path) -> None:
    config = Config.fromfile(str(PROJECT_ROOT / "configs" / "datasets" / "llmp" / "llmp_selfreport_gen.py"))
    slugs = [c.slug for c in HumanSimulacra(shared_data_dir).characters()]
    every = sorted(f"llmp-{v}-{s}-{t.slug}" for v in ("blank", "prompt") for s in slugs for t in SCORED_TYPES)
    assert _picked(config, "_datasets") == every  # no part: what `--datasets llmp_selfreport_gen` runs
    for slug in slugs:
        parts = [(slug, ("blank", "prompt")), (f"{slug}_blank", ("blank",)), (f"{slug}_prompt", ("prompt",))]
        for part, variants in parts:
            assert _picked(config, part) == sorted(f"llmp-{v}-{slug}-{t.slug}" for v in variants for t in SCORED_TYPES)
    assert _picked(config, "_blank") == [a for a in every if a.startswith("llmp-blank-")]
