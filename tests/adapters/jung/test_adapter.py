"""The Jung test's OpenCompass dataset, evaluator and config builder (in-process)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from llmp_opencompass.adapters.jung.builder import build
from llmp_opencompass.adapters.jung.dataset import JungDataset
from llmp_opencompass.adapters.jung.evaluator import JungEvaluator
from llmp_opencompass.errors import ConfigError
from llmp_opencompass.simulacra import METHODS

MARY = ["Se", "Ti", "Fi", "Ni", "Te", "Si", "Ne", "Fe"]


def _env(data: Path, **extra: str) -> dict[str, str]:
    return {"LLMP_MODEL": "m", "OPENAI_BASE_URL": "http://127.0.0.1:9/v1", "LLMP_DATA_DIR": str(data), **extra}


def test_dataset_rows_carry_the_statement_and_the_true_order(shared_data_dir: Path) -> None:
    rows = JungDataset.load(str(shared_data_dir), "mary_jones", ratio=0.1)
    assert len(rows) == 64
    reference = json.loads(rows[0]["reference"])
    assert reference["true_order"] == MARY and reference["statement"] in rows[0]["prompt"]
    assert "Yes or No" in rows[0]["prompt"] and "Alice" in rows[0]["system"]


def test_evaluator_scores_a_true_respondent(shared_data_dir: Path) -> None:
    rows = JungDataset.load(str(shared_data_dir), "Mary Jones", ratio=0.1)
    refs = [r["reference"] for r in rows]
    position = {f: i + 1 for i, f in enumerate(MARY)}
    replies = []
    for ref in map(json.loads, refs):
        replies.append("Yes, that's me." if ref["level"] == position[ref["function"]] else "No.")
    replies[0] = "My eyes say maybe."
    result = JungEvaluator().score(replies, refs)
    assert list(result)[:3] == ["kendall_tau", "spearman", "top1_match"]
    assert result["unparsed"] == 1 and result["n_items"] == 64 and result["answered"] == 63
    assert result["profile"]["true_order"] == MARY and result["profile"]["predicted_order"] == MARY
    assert result["kendall_tau"] == pytest.approx(1.0) and result["top1_match"] == 1
    assert -1 <= result["kendall_tau_ci95_low"] <= result["kendall_tau"] <= result["kendall_tau_ci95_high"] <= 1
    assert result["details"][0]["parsed"] == "unparsed" and result["details"][0]["score_added"] == 0


def test_evaluator_gives_nan_not_a_number_when_nothing_parses(shared_data_dir: Path) -> None:
    refs = [r["reference"] for r in JungDataset.load(str(shared_data_dir), "Mary Jones", ratio=0.1)]
    result = JungEvaluator().score(["Hmm."] * len(refs), refs)
    assert math.isnan(result["kendall_tau"]) and result["unparsed"] == 64


def test_build_pairs_one_dataset_per_character_with_each_method(shared_data_dir: Path) -> None:
    env = _env(shared_data_dir, LLMP_CHARACTERS="Mary Jones,robert_scott", LLMP_JUNG_RATIO="0.4")
    built = build(environ=env)
    assert [d["abbr"] for d in built["datasets"]] == ["llmp-jung-mary_jones", "llmp-jung-robert_scott"]
    assert built["datasets"][0]["ratio"] == 0.4
    comb = built["model_dataset_combinations"][0]
    assert [m["abbr"] for m in comb["models"]] == [f"{m}-m" for m in METHODS]
    rows = built["summarizer"]["dataset_abbrs"]
    assert rows[0] == ("llmp-jung-kendall_tau-mean", "naive_average")
    assert ("llmp-jung-robert_scott", "kendall_tau") in rows


def test_methods_from_argument_or_environment(shared_data_dir: Path) -> None:
    env = _env(shared_data_dir, LLMP_CHARACTERS="Mary Jones", LLMP_METHODS="prompt, blank")
    assert [m["method"] for m in build(environ=env)["models"]] == ["prompt", "blank"]
    assert [m["method"] for m in build("blank", environ=env)["models"]] == ["blank"]
    with pytest.raises(ConfigError, match="LLMP_METHODS='prompt,telepathy'"):
        build(environ={**env, "LLMP_METHODS": "prompt,telepathy"})


@pytest.mark.parametrize("ratio", ["0.05", "2", "half"])
def test_bad_ratio_fails_at_parse_time(shared_data_dir: Path, ratio: str) -> None:
    with pytest.raises(ConfigError, match=r"(?i)ratio"):
        build(environ=_env(shared_data_dir, LLMP_JUNG_RATIO=ratio))
