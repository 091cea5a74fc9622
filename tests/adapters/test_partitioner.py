"""``GroupedPartitioner`` packs (model, datasets) pairs into few tasks of about equal cost."""

from __future__ import annotations

from pathlib import Path

from mmengine.config import ConfigDict
from opencompass.utils import get_infer_output_path

from llmp_opencompass.adapters.partitioner import GroupedPartitioner, pair_cost


def _model(method: str, character: str) -> ConfigDict:
    return ConfigDict(abbr=f"{method}-m", method=method, character=character)


def _datasets(character: str) -> list[ConfigDict]:
    return [ConfigDict(abbr=f"llmp-{character}-{t}") for t in ("cloze", "single_choice", "multiple_choices")]


def _combinations(characters: list[str], methods: list[str]) -> list[dict]:
    return [dict(models=[_model(m, c) for m in methods], datasets=_datasets(c)) for c in characters]


def test_macm_pairs_cost_five_times_the_others():
    assert pair_cost(_model("macm", "a"), _datasets("a")) == 15
    assert pair_cost(_model("rag", "a"), _datasets("a")) == 3


def test_tasks_have_about_equal_cost(tmp_path: Path):
    combinations = _combinations([f"c{i}" for i in range(11)], ["blank", "prompt", "rag", "macm"])
    tasks = GroupedPartitioner(out_dir=str(tmp_path)).partition(combinations, str(tmp_path), str(tmp_path))
    costs = [sum(pair_cost(m, d) for m, d in zip(t["models"], t["datasets"], strict=True)) for t in tasks]
    assert len(tasks) == 2 and sum(costs) == 11 * 3 * (1 + 1 + 1 + 5)
    assert max(costs) - min(costs) <= 5  # at most one MACM dataset apart
    pairs = sorted((m["abbr"], m["character"]) for t in tasks for m in t["models"])
    assert pairs == sorted((f"{m}-m", f"c{i}") for i in range(11) for m in ("blank", "prompt", "rag", "macm"))


def test_finished_datasets_are_left_out(tmp_path: Path):
    combinations = _combinations(["a"], ["prompt"])
    model, done = combinations[0]["models"][0], combinations[0]["datasets"][0]
    path = Path(get_infer_output_path(model, done, str(tmp_path)))
    path.parent.mkdir(parents=True)
    path.write_text("{}")
    partitioner = GroupedPartitioner(out_dir=str(tmp_path), num_worker=4)
    tasks = partitioner.partition(combinations, str(tmp_path), str(tmp_path))
    assert len(tasks) == 1
    assert [d["abbr"] for d in tasks[0]["datasets"][0]] == ["llmp-a-single_choice", "llmp-a-multiple_choices"]
