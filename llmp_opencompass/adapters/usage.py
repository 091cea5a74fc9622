"""Usage accounting through OpenCompass: LLM calls, tokens and rounds per answered question.

- ``SimulacrumModel`` records the usage of every prompt it answers (keyed by the prompt).
- :class:`UsageGenInferencer` is OpenCompass's ``GenInferencer`` that, once a dataset's
  predictions are written, adds each prediction's ``usage`` ({calls, prompt_tokens,
  completion_tokens, rounds}; null when the model reports none) to the prediction file.
- :class:`~llmp_opencompass.adapters.selfreport.evaluator.SelfReportUsageEvaluator`
  receives those entries (OpenCompass passes every prediction key named in ``score()``'s
  signature) and adds :func:`usage_metrics` to the self-report metrics.

The two always travel together (the evaluator needs the ``usage`` key in every
prediction file), so the config builder sets both on its datasets.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Sequence
from pathlib import Path

from opencompass.openicl.icl_inferencer import GenInferencer
from opencompass.openicl.icl_prompt_template import PromptTemplate
from opencompass.openicl.icl_retriever import BaseRetriever
from opencompass.registry import ICL_INFERENCERS

from ..files import write_text_atomic
from ..llm.types import ChatMessage
from ..simulacra import SimulacrumReply

__all__ = [
    "UsageGenInferencer",
    "prompt_key",
    "usage_metrics",
    "usage_record",
    "USAGE_METRICS",
]

USAGE_METRICS = ("calls_per_question", "tokens_per_question", "rounds_per_question")


def prompt_key(messages: Sequence[ChatMessage], item: str = "") -> str:
    """SHA-256 of a prompt's messages and item: how a prediction finds the usage of its answer."""
    payload = json.dumps([[m.role, m.content] for m in messages] + [["item", item]], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def usage_record(reply: SimulacrumReply) -> dict[str, int | str | None]:
    """The ``usage`` entry of one prediction; ``cut_replies`` is there only when a reply was cut
    for being far longer than ``max_tokens`` allows (the flag of an oversized reply)."""
    usage = reply.usage
    record = {
        "calls": usage.calls,
        "prompt_tokens": usage.prompt_tokens,
        "completion_tokens": usage.completion_tokens,
        "rounds": reply.rounds,
        "finish_reason": reply.finish_reason,
    }
    return {**record, "cut_replies": usage.cut_replies} if usage.cut_replies else record


def usage_metrics(usage: Sequence[dict | None]) -> dict[str, float]:
    """Means per question; NaN when any prediction has no usage (the metrics stay present,
    because OpenCompass's summarizer wants the same metrics from every model of a dataset)."""
    if not usage or any(u is None for u in usage):
        return dict.fromkeys(USAGE_METRICS, math.nan)
    count = len(usage)
    return {
        "calls_per_question": sum(u["calls"] for u in usage) / count,  # type: ignore[index]
        "tokens_per_question": sum(u["prompt_tokens"] + u["completion_tokens"] for u in usage) / count,  # type: ignore[index]
        "rounds_per_question": sum(u["rounds"] for u in usage) / count,  # type: ignore[index]
    }


@ICL_INFERENCERS.register_module()
class UsageGenInferencer(GenInferencer):
    """``GenInferencer`` whose prediction entries also carry the model's ``usage``."""

    def inference(
        self,
        retriever: BaseRetriever,
        ice_template: PromptTemplate | None = None,
        prompt_template: PromptTemplate | None = None,
        output_json_filepath: str | None = None,
        output_json_filename: str | None = None,
    ) -> list:
        """Run the usual inference, then annotate the prediction file."""
        results = super().inference(
            retriever,
            ice_template=ice_template,
            prompt_template=prompt_template,
            output_json_filepath=output_json_filepath,
            output_json_filename=output_json_filename,
        )
        directory = output_json_filepath or self.output_json_filepath
        path = Path(directory) / (output_json_filename or self.output_json_filename)
        if self.is_main_process and path.is_file():
            _annotate(path, getattr(self.model, "pop_usage", None))
        return results


def _annotate(path: Path, pop_usage: Callable[[object], dict | None] | None) -> None:
    predictions = json.loads(path.read_text(encoding="utf-8"))
    for entry in predictions.values():
        if "usage" not in entry:
            entry["usage"] = pop_usage(entry.get("origin_prompt")) if pop_usage else None
    write_text_atomic(path, json.dumps(predictions, indent=4, ensure_ascii=False))
