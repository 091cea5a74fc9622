"""Conformity metrics on hand-made trial records."""

from __future__ import annotations

import math

import pytest

from llmp_opencompass.experiments.bandwagon import (
    HUMAN_BASELINE,
    METRICS,
    Trial,
    TrialRecord,
    conformity_metrics,
    load_trials,
)

TRIALS = load_trials()


def _session(answer) -> list[TrialRecord]:
    return [TrialRecord(t, f"reply {t.number}", answer(t)) for t in TRIALS]


def test_a_subject_that_always_follows_the_group() -> None:
    metrics = conformity_metrics([_session(lambda t: t.group)])
    assert metrics.critical_group_rate == 100.0
    assert metrics.critical_wrong_rate == 100.0
    assert metrics.neutral_correct_rate == 100.0
    assert metrics.conformed_at_least_once == 100.0
    assert (metrics.unparsed, metrics.sessions, metrics.critical_answered, metrics.neutral_answered) == (0, 1, 12, 6)


def test_a_subject_that_always_answers_correctly() -> None:
    metrics = conformity_metrics([_session(lambda t: t.correct)])
    assert metrics.critical_group_rate == 0.0
    assert metrics.critical_wrong_rate == 0.0
    assert metrics.neutral_correct_rate == 100.0
    assert metrics.conformed_at_least_once == 0.0


def test_a_wrong_line_that_is_not_the_groups_is_an_error_but_not_conformity() -> None:
    other = {t.number: ({1, 2, 3} - {t.correct, t.group}).pop() if t.critical else t.correct for t in TRIALS}
    metrics = conformity_metrics([_session(lambda t: other[t.number])])
    assert (metrics.critical_group_rate, metrics.critical_wrong_rate) == (0.0, 100.0)


def test_unparsed_replies_are_left_out_of_numerators_and_denominators() -> None:
    # trials 3 and 4 (critical) unparsed, trial 1 (neutral) unparsed; the rest follow the group
    records = _session(lambda t: None if t.number in (1, 3, 4) else t.group)
    metrics = conformity_metrics([records])
    assert metrics.unparsed == 3
    assert metrics.critical_answered == 10 and metrics.neutral_answered == 5
    assert metrics.critical_group_rate == 100.0 and metrics.neutral_correct_rate == 100.0
    assert records[0].correct is None and records[2].conformed is None


def test_rates_without_any_parsed_answer_are_nan_not_zero() -> None:
    metrics = conformity_metrics([_session(lambda t: None)])
    assert math.isnan(metrics.critical_group_rate) and math.isnan(metrics.neutral_correct_rate)
    assert metrics.unparsed == 18 and metrics.conformed_at_least_once == 0.0


def test_sessions_are_pooled_and_counted_for_conformed_at_least_once() -> None:
    once = [TrialRecord(t, "", t.group if t.number == 3 else t.correct) for t in TRIALS]
    never = _session(lambda t: t.correct)
    metrics = conformity_metrics([once, never, never, never])
    assert metrics.conformed_at_least_once == 25.0
    assert metrics.critical_group_rate == pytest.approx(100 / 48)
    assert metrics.sessions == 4


def test_neutral_trials_never_count_as_conformity() -> None:
    neutral = next(t for t in TRIALS if not t.critical)
    assert TrialRecord(neutral, "", neutral.group).conformed is False
    critical = Trial(3, 3.0, (3.75, 4.25, 3.0), 3, 1)
    assert TrialRecord(critical, "", 1).detail() == {
        "trial": 3, "critical": True, "standard": 3.0, "lines": [3.75, 4.25, 3.0], "correct_line": 3,
        "group_line": 1, "reply": "", "parsed": 1, "correct": False, "conformed": True,
    }  # fmt: skip


def test_metric_names_are_stable_and_main_metric_first() -> None:
    assert list(conformity_metrics([_session(lambda t: t.correct)]).as_dict()) == list(METRICS)
    assert METRICS[0] == "critical_group_rate"
    assert (HUMAN_BASELINE.critical_group_rate, HUMAN_BASELINE.conformed_at_least_once) == (32.0, 75.0)
    with pytest.raises(ValueError, match="at least one session"):
        conformity_metrics([])
