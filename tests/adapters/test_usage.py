"""Usage accounting: model records, prediction annotation, evaluator metrics, summary rows."""

from __future__ import annotations

import json
import math
from pathlib import Path

from llmp_opencompass.adapters.builder import RunContext, model_config
from llmp_opencompass.adapters.model import to_messages
from llmp_opencompass.adapters.selfreport.evaluator import SelfReportUsageEvaluator
from llmp_opencompass.adapters.selfreport.summary import OVERALL_MEAN, selfreport_summarizer
from llmp_opencompass.adapters.usage import _annotate, prompt_key, usage_metrics, usage_record
from llmp_opencompass.llm import Usage
from llmp_opencompass.settings.run import RunSettings
from llmp_opencompass.simulacra import SimulacrumReply
from tests.support.cards import CARD

PROMPT = [{"role": "SYSTEM", "prompt": "scene"}, {"role": "HUMAN", "prompt": "How old are you?"}]


def test_usage_record_and_metrics() -> None:
    record = usage_record(SimulacrumReply("x", Usage(5, 1000, 50), rounds=2))
    assert record == {"calls": 5, "prompt_tokens": 1000, "completion_tokens": 50, "rounds": 2, "finish_reason": None}
    one = usage_record(SimulacrumReply("y", Usage(1, 300, 30)))
    assert usage_metrics([record, one]) == {"calls_per_question": 3.0, "tokens_per_question": 690.0,
                                            "rounds_per_question": 1.5}  # fmt: skip
    assert all(math.isnan(v) for v in usage_metrics([record, None]).values())


def test_annotate_matches_predictions_to_usage_by_prompt(tmp_path: Path) -> None:
    path = tmp_path / "llmp-mary_jones-cloze.json"
    path.write_text(json.dumps({"0": {"origin_prompt": PROMPT, "prediction": "29"}, "1": {"origin_prompt": "x"}}))
    records = {prompt_key(to_messages(PROMPT)): {"calls": 1}}
    _annotate(path, lambda prompt: records.pop(prompt_key(to_messages(prompt)), None))
    data = json.loads(path.read_text())
    assert data["0"]["usage"] == {"calls": 1} and data["1"]["usage"] is None


def test_evaluator_adds_usage_metrics_and_details() -> None:
    reference = json.dumps({"character": "Mary Jones", "type": "Cloze", "number": 3, "options": [], "gold": ["29"]})
    usage = {"calls": 5, "prompt_tokens": 100, "completion_tokens": 20, "rounds": 2}
    result = SelfReportUsageEvaluator().score(["The answer is 29."], [reference], [usage])
    assert result["points"] == 2 and result["calls_per_question"] == 5 and result["tokens_per_question"] == 120
    assert result["details"][0]["usage"] == usage


def test_summary_rows_are_unchanged_and_usage_rows_come_last() -> None:
    plain = selfreport_summarizer(["mary_jones"])
    with_usage = selfreport_summarizer(["mary_jones"], usage=True)
    rows = with_usage["dataset_abbrs"]
    assert rows[: len(plain["dataset_abbrs"])] == plain["dataset_abbrs"] and rows[0] == (OVERALL_MEAN, "naive_average")
    assert rows[-3:] == [("llmp-calls-per-question", "naive_average"), ("llmp-tokens-per-question", "naive_average"),
                         ("llmp-rounds-per-question", "naive_average")]  # fmt: skip
    calls = next(g for g in with_usage["summary_groups"] if g["name"] == "llmp-calls-per-question")
    assert ("llmp-mary_jones-cloze", "calls_per_question") in calls["subsets"] and len(calls["subsets"]) == 3


def test_model_config_carries_the_method_options_and_the_agents(tmp_path: Path) -> None:
    env = {"LLMP_MODEL": "answerer", "OPENAI_BASE_URL": "http://a/v1", "LLMP_AGENT_MODEL": "agent",
           "LLMP_AGENT_BASE_URL": "http://b/v1", "LLMP_RETRIEVAL": "embedding", "LLMP_CHUNK_SIZE": "256",
           "LLMP_CHUNK_OVERLAP": "16", "LLMP_CACHE_DIR": str(tmp_path)}  # fmt: skip
    run = RunContext(("rag", "macm", "prompt"), RunSettings.from_environment(env), (CARD,), {"data_dir": "/data"})
    macm = model_config("macm", CARD, run)
    assert (macm["agent_model"], macm["agent_api_base"]) == ("agent", "http://b/v1")
    assert macm["options"]["retrieval"] == "embedding"
    assert macm["options"]["index_cache_dir"] == str(tmp_path / "indexes")
    assert model_config("rag", CARD, run)["options"]["chunking"] == {"size": 256, "overlap": 16}
    assert "options" in model_config("prompt", CARD, run) and "agent_model" not in model_config("rag", CARD, run)
