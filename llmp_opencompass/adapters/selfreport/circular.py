"""Circular self-report: each choice item asked once per rotation of its options (drop-in).

``CircularSelfReportDataset`` writes one row per (item, rotation), with the usual
columns; the reference JSON adds ``rotation`` (the shift, 0 for the first row of an
item). ``CircularSelfReportEvaluator`` groups the rows of an item by its number and
scores it strictly (:func:`llmp_opencompass.experiments.selfreport.circular.combine_rotations`): right only
if right in every rotation, with the fewest points any rotation earned.

Metrics: ``points`` and ``accuracy`` (strict, per item, on the paper's scale), with the
interval and replicates of every self-report result (see :mod:`.evaluator`), ``score``
(strict points as % of the maximum) and ``rotation_accuracy`` (% of the asked rows fully
right, as if each rotation were an item). There is one detail per
asked row (OpenCompass pairs details with rows), carrying its item's strict result.
"""

from __future__ import annotations

import json
from typing import Any

from datasets import Dataset
from opencompass.registry import ICL_EVALUATORS, LOAD_DATASET

from ...data.records import QuestionType
from ...experiments.selfreport.circular import combine_rotations
from ...experiments.selfreport.scores import AskedItem, questionnaire_score, questionnaire_seed
from ...scoring import score_item, summarize
from ...scoring.points import ItemScore
from .dataset import SelfReportDataset
from .evaluator import SelfReportEvaluator, interval_metrics

__all__ = ["CircularSelfReportDataset", "CircularSelfReportEvaluator"]


@LOAD_DATASET.register_module()
class CircularSelfReportDataset(SelfReportDataset):
    """Self-report items of one character and type, choice items once per option rotation."""

    @staticmethod
    def load(**options: Any) -> Dataset:  # type: ignore[override]
        """One row per (item, rotation); Cloze items once. Takes ``SelfReportDataset``'s options."""
        return SelfReportDataset.load(**options, circular=True)


@ICL_EVALUATORS.register_module()
class CircularSelfReportEvaluator(SelfReportEvaluator):
    """Strict per-item scores over the rotations written by ``CircularSelfReportDataset``."""

    def score(self, predictions: list, references: list) -> dict:
        """The metrics of the module docstring and one detail per asked row."""
        if len(predictions) != len(references):
            raise ValueError(f"{len(predictions)} predictions for {len(references)} references")
        refs = [json.loads(raw) for raw in references]
        replies = [p if isinstance(p, str) else str(p) for p in predictions]
        asked = [
            score_item(QuestionType(ref["type"]), reply, ref["gold"], ref["options"])
            for reply, ref in zip(replies, refs, strict=True)
        ]
        items = _combine(refs, asked)
        details = [
            _detail(reply, ref, score, items[_key(ref)])
            for reply, ref, score in zip(replies, refs, asked, strict=True)
        ]
        strict = [AskedItem(number, repeat, score) for (number, repeat), score in items.items()]
        seed = questionnaire_seed(refs[0]["character"], refs[0]["type"])
        return {
            **interval_metrics(questionnaire_score(strict, seed=seed)),
            "rotation_accuracy": summarize(asked).accuracy,
            "details": details,
        }


def _key(ref: dict) -> tuple[int, int]:
    return int(ref["number"]), int(ref.get("repeat", 0))


def _combine(refs: list[dict], asked: list[ItemScore]) -> dict[tuple[int, int], ItemScore]:
    """Strict score per (item number, repeat), in first-seen order."""
    grouped: dict[tuple[int, int], list[ItemScore]] = {}
    for ref, score in zip(refs, asked, strict=True):
        grouped.setdefault(_key(ref), []).append(score)
    return {key: combine_rotations(scores) for key, scores in grouped.items()}


def _detail(reply: str, ref: dict, score: ItemScore, item: ItemScore) -> dict:
    return {
        "pred": reply,
        "parsed": list(score.parsed),
        "answer": ref["gold"],
        "options": ref["options"],
        "item": ref["number"],
        "rotation": ref.get("rotation", 0),
        "repeat": ref.get("repeat", 0),
        "points": score.points,
        "max_points": score.max_points,
        "correct": score.correct,
        "item_points": item.points,
        "item_correct": item.correct,
    }
