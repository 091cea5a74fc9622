"""``SelfReportEvaluator``: points (the paper's scale) and accuracy for any self-report type.

It also reports ``score``, the points as a percentage of the dataset's maximum (0-100),
so that summary groups (which can average but not divide) give 0-100 scores: a
weighted average of ``score`` with the types' maximum points as weights is a
character's total out of 50, rescaled to 0-100.

All the parsing and scoring is in :mod:`llmp_opencompass.scoring`; this adapter
only reads the references and shapes the result for OpenCompass.
"""

from __future__ import annotations

import json

from opencompass.openicl.icl_evaluator import BaseEvaluator
from opencompass.registry import ICL_EVALUATORS

from ...data.records import QuestionType
from ...scoring import score_item, summarize
from ..usage import usage_metrics

__all__ = ["SelfReportEvaluator", "SelfReportUsageEvaluator"]


@ICL_EVALUATORS.register_module()
class SelfReportEvaluator(BaseEvaluator):
    """Scores replies against the JSON references written by ``SelfReportDataset``."""

    def score(self, predictions: list, references: list) -> dict:
        """``points`` (sum, paper scale), ``accuracy`` (% items with full credit), ``score``
        (points as % of the maximum) and per-item details."""
        if len(predictions) != len(references):
            raise ValueError(f"{len(predictions)} predictions for {len(references)} references")
        details, scores = [], []
        for reply, raw in zip(predictions, references, strict=True):
            ref = json.loads(raw)
            reply_text = reply if isinstance(reply, str) else str(reply)
            item = score_item(QuestionType(ref["type"]), reply_text, ref["gold"], ref["options"])
            scores.append(item)
            details.append(
                {
                    "pred": reply_text,
                    "parsed": list(item.parsed),
                    "answer": ref["gold"],
                    "options": ref["options"],
                    "points": item.points,
                    "max_points": item.max_points,
                    "correct": item.correct,
                }
            )
        summary = summarize(scores)
        score = 100.0 * summary.points / summary.max_points
        return {"points": summary.points, "accuracy": summary.accuracy, "score": score, "details": details}


@ICL_EVALUATORS.register_module()
class SelfReportUsageEvaluator(SelfReportEvaluator):
    """Self-report points and accuracy, plus mean calls, tokens and rounds per question."""

    def score(self, predictions: list, references: list, usage: list) -> dict:  # type: ignore[override]
        """The self-report metrics and the usage means; each detail gains its ``usage``."""
        result = super().score(predictions, references)
        for detail, item in zip(result["details"], usage, strict=True):
            detail["usage"] = item
        return {**result, **usage_metrics(usage)}
