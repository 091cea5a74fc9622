"""``JungEvaluator``: parses yes/no replies, scores the functions and correlates them with the true order.

Metrics, per character:

- ``kendall_tau`` (main metric), ``spearman``: predicted scores vs true positions;
  ``kendall_tau_ci95_low``/``_high``: the 95% bootstrap interval of tau over the statements;
- ``top1_match``: 1 when the true dominant function alone scores highest;
- ``unparsed``, ``answered``, ``n_items``: reply counts;
- ``profile``: ``function_scores``, ``predicted_order`` and ``true_order``;
- ``details``: per item the reply, its parse, the statement's function, level and score.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from datasets import Dataset
from opencompass.openicl.icl_evaluator import BaseEvaluator
from opencompass.registry import ICL_EVALUATORS

from ...bootstrap import seed_for
from ...data.traits import TraitStatement
from ...experiments.jung import JungItem, score_test
from ...experiments.jung.metrics import tau_interval
from ...scoring.agreement import Agreement, parse_agreement

__all__ = ["JungEvaluator"]


@ICL_EVALUATORS.register_module()
class JungEvaluator(BaseEvaluator):
    """Parses yes/no replies, scores the functions and correlates them with the true order."""

    def score(self, predictions: list, references: list) -> dict:
        """The metrics listed in the module docstring."""
        if len(predictions) != len(references) or not references:
            raise ValueError(f"{len(predictions)} predictions for {len(references)} references")
        refs = [json.loads(r) for r in references]
        orders = {tuple(r["true_order"]) for r in refs}
        if len(orders) != 1:
            raise ValueError(f"references of one dataset disagree on the true order: {sorted(orders)}")
        answers = [(_item(r), parse_agreement(str(p))) for p, r in zip(predictions, refs, strict=True)]
        order = orders.pop()
        result = score_test(answers, order)
        low, high = tau_interval(answers, order, seed=seed_for("jung", refs[0]["character"]))
        details = [
            {"pred": str(p), "parsed": a.value, "function": i.statement.function, "level": i.statement.level,
             "statement": i.statement.text, "score_added": i.score if a is Agreement.YES else 0}
            for p, (i, a) in zip(predictions, answers, strict=True)
        ]  # fmt: skip
        return {
            "kendall_tau": result.kendall_tau,
            "spearman": result.spearman,
            "top1_match": result.top1_match,
            "kendall_tau_ci95_low": low,
            "kendall_tau_ci95_high": high,
            "unparsed": result.unparsed,
            "answered": result.answered,
            "n_items": len(answers),
            "profile": {
                "function_scores": result.function_scores,
                "predicted_order": list(result.predicted_order),
                "true_order": list(result.true_order),
            },
            "details": details,
        }

    def evaluate(self, k: int | list, n: int, original_dataset: Dataset, **score_kwargs: object) -> dict:
        """OpenCompass's evaluate, with ``profile`` kept a dict (it wraps non-numbers in a list)."""
        result = super().evaluate(k, n, original_dataset, **score_kwargs)
        if isinstance(result.get("profile"), list) and len(result["profile"]) == 1:
            result["profile"] = result["profile"][0]
        return result


def _item(reference: Mapping) -> JungItem:
    statement = TraitStatement(reference["function"], reference["level"], reference["number"], reference["statement"])
    return JungItem(reference["character"], statement)
