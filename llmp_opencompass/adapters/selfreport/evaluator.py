"""``SelfReportEvaluator``: points (the paper's scale), accuracy and a 95% interval for any self-report type.

Metrics: ``points`` (mean over repeats of the total, paper scale), ``points_ci95_low`` and
``points_ci95_high`` (its bootstrap interval, see
:mod:`llmp_opencompass.experiments.selfreport.scores`), ``repeats``, ``accuracy`` (% of answers
with full credit) and ``score``, the points as a percentage of the dataset's maximum (0-100),
so that summary groups (which can average but not divide) give 0-100 scores. The bootstrap
replicates travel as ``points_bootstrap``: the summary and the report sum them into a
character's interval and difference them into paired comparisons of methods.

``SelfReportUsageEvaluator`` adds the LLM usage per question and ``truncated``: the answers
cut off by the token limit (``finish_reason == "length"``), each also flagged in its detail.

All the parsing and scoring is in :mod:`llmp_opencompass.scoring`; this adapter only reads
the references and shapes the result for OpenCompass.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from datasets import Dataset
from opencompass.openicl.icl_evaluator import BaseEvaluator
from opencompass.registry import ICL_EVALUATORS

from ...data.records import QuestionType
from ...experiments.selfreport.scores import AskedItem, QuestionnaireScore, questionnaire_score, questionnaire_seed
from ...scoring import score_item
from ..usage import usage_metrics

__all__ = ["SelfReportEvaluator", "SelfReportUsageEvaluator", "interval_metrics", "unwrap"]

BOOTSTRAP_KEY = "points_bootstrap"


def interval_metrics(score: QuestionnaireScore) -> dict:
    """The metrics every self-report result carries."""
    return {
        "points": score.points,
        "points_ci95_low": score.low,
        "points_ci95_high": score.high,
        "repeats": score.repeats,
        "accuracy": score.accuracy,
        "score": 100.0 * score.points / score.max_points,
        BOOTSTRAP_KEY: list(score.replicates),
    }


def unwrap(result: dict, keys: Sequence[str]) -> dict:
    """Undo OpenCompass's wrapping of non-numeric metrics in one-element lists."""
    for key in keys:
        if isinstance(result.get(key), list) and len(result[key]) == 1:
            result[key] = result[key][0]
    return result


@ICL_EVALUATORS.register_module()
class SelfReportEvaluator(BaseEvaluator):
    """Scores replies against the JSON references written by ``SelfReportDataset``."""

    def score(self, predictions: list, references: list) -> dict:
        """The metrics of the module docstring and one detail per asked row."""
        if len(predictions) != len(references) or not references:
            raise ValueError(f"{len(predictions)} predictions for {len(references)} references")
        details, asked = [], []
        refs = [json.loads(raw) for raw in references]
        for reply, ref in zip(predictions, refs, strict=True):
            reply_text = reply if isinstance(reply, str) else str(reply)
            item = score_item(QuestionType(ref["type"]), reply_text, ref["gold"], ref["options"])
            asked.append(AskedItem(int(ref["number"]), int(ref.get("repeat", 0)), item))
            details.append(
                {
                    "pred": reply_text,
                    "parsed": list(item.parsed),
                    "answer": ref["gold"],
                    "options": ref["options"],
                    "item": ref["number"],
                    "repeat": ref.get("repeat", 0),
                    "points": item.points,
                    "max_points": item.max_points,
                    "correct": item.correct,
                }
            )
        score = questionnaire_score(asked, seed=questionnaire_seed(refs[0]["character"], refs[0]["type"]))
        return {**interval_metrics(score), "details": details}

    def evaluate(self, k: int | list, n: int, original_dataset: Dataset, **score_kwargs: object) -> dict:
        """OpenCompass's evaluate, with the bootstrap replicates kept a plain list."""
        return unwrap(super().evaluate(k, n, original_dataset, **score_kwargs), [BOOTSTRAP_KEY])


@ICL_EVALUATORS.register_module()
class SelfReportUsageEvaluator(SelfReportEvaluator):
    """Self-report metrics, plus mean calls, tokens and rounds per question, and truncated answers."""

    def score(self, predictions: list, references: list, usage: list) -> dict:  # type: ignore[override]
        """The self-report metrics and the usage means; each detail gains its ``usage`` and ``truncated``."""
        result = super().score(predictions, references)
        for detail, item in zip(result["details"], usage, strict=True):
            detail["usage"] = item
            detail["truncated"] = bool(item and item.get("finish_reason") == "length")
        truncated = sum(detail["truncated"] for detail in result["details"])
        return {**result, **usage_metrics(usage), "truncated": truncated}
