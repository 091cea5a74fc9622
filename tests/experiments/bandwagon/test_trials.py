"""The packaged stimuli and the trial record."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from llmp_opencompass.errors import MalformedDataFileError
from llmp_opencompass.experiments.bandwagon import Trial, format_length, load_trials

CRITICAL = [3, 4, 6, 7, 8, 9, 12, 13, 15, 16, 17, 18]  # the reference script's critical trials


def test_packaged_trials_follow_the_reference_design() -> None:
    trials = load_trials()
    assert [t.number for t in trials] == list(range(1, 19))
    assert [t.number for t in trials if t.critical] == CRITICAL
    assert sum(not t.critical for t in trials) == 6
    stimulus = [(t.standard, t.lines, t.correct, t.group) for t in trials]
    assert stimulus[9:] == stimulus[:9]  # trials 10-18 repeat 1-9
    first = trials[0]
    assert (first.standard, first.lines, first.correct, first.group) == (10.0, (8.75, 10.0, 8.0), 2, 2)


def test_lengths_are_written_with_two_decimals() -> None:
    assert format_length(10.0) == "10.00 inches"
    assert format_length(8.75) == "8.75 inches"
    assert format_length(1.5) == "1.50 inches"


def test_trial_round_trips_and_refuses_an_impossible_trial() -> None:
    trial = Trial(4, 5.0, (5.0, 4.0, 6.5), 1, 2)
    assert Trial.from_dict(trial.to_dict()) == trial
    with pytest.raises(ValueError, match="line 2 should be the only one"):
        Trial(1, 5.0, (5.0, 4.0, 6.5), 2, 2)
    with pytest.raises(ValueError, match="group line 4"):
        Trial(1, 5.0, (5.0, 4.0, 6.5), 1, 4)


def test_a_broken_trials_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "trials.json"
    path.write_text(json.dumps({"trials": [{"trial": 1, "standard": 2, "lines": [1, 2], "correct": 2, "group": 1}]}))
    with pytest.raises(MalformedDataFileError, match=r"trials\.json.*3 comparison lines"):
        load_trials(path)
    path.write_text(json.dumps({"trials": [Trial(2, 5.0, (5.0, 4.0, 6.5), 1, 2).to_dict()]}))
    with pytest.raises(MalformedDataFileError, match=r"numbered 1\.\.1"):
        load_trials(path)
