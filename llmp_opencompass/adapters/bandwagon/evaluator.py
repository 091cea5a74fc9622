"""``BandwagonEvaluator``: conformity metrics of the sessions of one (character, condition).

Parsing and metrics are in :mod:`llmp_opencompass.scoring.line_choice` and
:mod:`llmp_opencompass.experiments.bandwagon`; this adapter pairs each session's
replies with its trials and shapes the result for OpenCompass: the metrics of
``METRICS`` (main one, ``critical_group_rate``, first), the 95% bootstrap interval of the
main one (``critical_group_rate_ci95_low``/``_high``: over sessions, or over the critical
trials of a single session) and one detail per session
(session, seed, its own metrics, and per trial: trial, critical, standard, lines,
correct_line, group_line, reply, parsed, correct, conformed).
"""

from __future__ import annotations

import json

from opencompass.openicl.icl_evaluator import BaseEvaluator
from opencompass.registry import ICL_EVALUATORS

from ...bootstrap import seed_for
from ...experiments.bandwagon import Trial, TrialRecord, conformity_metrics
from ...experiments.bandwagon.metrics import conformity_interval
from ...scoring.line_choice import parse_line

__all__ = ["BandwagonEvaluator", "session_records"]


def session_records(replies: list, reference: str) -> tuple[TrialRecord, ...]:
    """One session's trial records from its replies and its JSON reference."""
    trials = [Trial.from_dict(t) for t in json.loads(reference)["trials"]]
    if not isinstance(replies, list) or len(replies) != len(trials):
        count = len(replies) if isinstance(replies, list) else "no list of"
        raise ValueError(f"a session needs one reply per trial: {count} replies for {len(trials)} trials")
    return tuple(TrialRecord(t, str(r), parse_line(str(r))) for t, r in zip(trials, replies, strict=True))


@ICL_EVALUATORS.register_module()
class BandwagonEvaluator(BaseEvaluator):
    """Scores the sessions written by ``SessionInferencer`` against ``BandwagonDataset``'s references."""

    def score(self, predictions: list, references: list) -> dict:
        """The pooled conformity metrics and one detail per session."""
        if len(predictions) != len(references):
            raise ValueError(f"{len(predictions)} sessions predicted for {len(references)} references")
        sessions = [session_records(p, r) for p, r in zip(predictions, references, strict=True)]
        details = []
        for records, raw in zip(sessions, references, strict=True):
            reference = json.loads(raw)
            details.append(
                {
                    "session": reference["session"],
                    "seed": reference["seed"],
                    "condition": reference["condition"],
                    **conformity_metrics([records]).as_dict(),
                    "trials": [r.detail() for r in records],
                }
            )
        low, high = conformity_interval(sessions, seed=seed_for("bandwagon", *_cell(references[0])))
        interval = {"critical_group_rate_ci95_low": low, "critical_group_rate_ci95_high": high}
        return {**conformity_metrics(sessions).as_dict(), **interval, "details": details}


def _cell(reference: str) -> tuple[str, str]:
    data = json.loads(reference)
    return str(data.get("character", "")), str(data.get("condition", ""))
