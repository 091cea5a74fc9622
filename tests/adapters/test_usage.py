"""Usage accounting: model records, prediction annotation, evaluator metrics, summary rows."""

from __future__ import annotations

import json
import math
from pathlib import Path

from llmp_opencompass.adapters.configs import method_options
from llmp_opencompass.adapters.model import to_messages
from llmp_opencompass.adapters.settings import RunSettings
from llmp_opencompass.adapters.summary import OVERALL_MEAN, selfreport_summarizer
from llmp_opencompass.adapters.usage import SelfReportUsageEvaluator, _annotate, prompt_key, usage_metrics, usage_record
from llmp_opencompass.errors import ConfigError
from llmp_opencompass.llm import Usage
from llmp_opencompass.simulacra import SimulacrumReply

PROMPT = [{"role": "SYSTEM", "prompt": "scene"}, {"role": "HUMAN", "prompt": "How old are you?"}]


def test_usage_record_and_metrics() -> None:
    record = usage_record(SimulacrumReply("x", Usage(5, 1000, 50), rounds=2))
    assert record == {"calls": 5, "prompt_tokens": 1000, "completion_tokens": 50, "rounds": 2}
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


def test_settings_read_method_options_and_agent_endpoint(tmp_path: Path) -> None:
    env = {
        "LLMP_MODEL": "answerer", "OPENAI_BASE_URL": "http://a/v1", "LLMP_AGENT_MODEL": "agent",
        "LLMP_AGENT_BASE_URL": "http://b/v1", "LLMP_RETRIEVAL": "Embedding", "LLMP_MEMORY_K": "3",
        "LLMP_RAG_K": "5", "LLMP_CHUNK_SIZE": "256", "LLMP_CHUNK_OVERLAP": "16", "LLMP_CACHE_DIR": str(tmp_path),
    }  # fmt: skip
    settings = RunSettings.from_environment(env)
    options = settings.options
    assert (options.retrieval, options.memory_k, options.rag_k) == ("embedding", 3, 5)
    assert (options.chunking.size, options.chunking.overlap) == (256, 16)
    assert options.index_cache_dir == tmp_path / "indexes" and options.embedding_base_url == "http://a/v1"
    macm = method_options("macm", settings)
    assert (macm["agent_model"], macm["agent_api_base"], macm["retrieval"]) == ("agent", "http://b/v1", "embedding")
    assert method_options("rag", settings)["chunk_size"] == 256 and method_options("prompt", settings) == {}


def test_settings_refuse_bad_method_options() -> None:
    import pytest

    for env, message in (({"LLMP_RETRIEVAL": "psychic"}, "valid: llm, embedding"),
                         ({"LLMP_CHUNK_SIZE": "32", "LLMP_CHUNK_OVERLAP": "32"}, "smaller than LLMP_CHUNK_SIZE"),
                         ({"LLMP_MEMORY_K": "0"}, "LLMP_MEMORY_K")):  # fmt: skip
        with pytest.raises(ConfigError, match=message):
            RunSettings.from_environment({"LLMP_MODEL": "m", **env})
