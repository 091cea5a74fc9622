"""Session conversations: the scene, the trials' wording, seeds, and a true multi-turn run."""

from __future__ import annotations

import pytest

from llmp_opencompass.errors import ConfigError
from llmp_opencompass.experiments.bandwagon import (
    check_condition,
    load_trials,
    run_session,
    scene_message,
    session_seed,
    trial_message,
)
from llmp_opencompass.llm import GenerationConfig
from llmp_opencompass.simulacra import BlankSimulacrum
from tests.support.fakes import RecordingChat

TRIALS = load_trials()


def test_group_trials_carry_six_answers_naming_the_group_line() -> None:
    text = trial_message(TRIALS[2], "group", 18).content
    assert "Round 3 of 18" in text
    assert "3.00 inches" in text and "3.75 inches" in text and "4.25 inches" in text
    assert text.count("line 1") == 6
    assert "six people" in scene_message("group", 18).content


def test_control_trials_carry_no_other_answers() -> None:
    text = trial_message(TRIALS[2], "control", 18).content
    assert "line 1" not in text and "people" not in text
    assert "alone" in scene_message("control", 18).content
    assert "18 rounds" in scene_message("control", 18).content


def test_unknown_condition_names_the_valid_ones() -> None:
    with pytest.raises(ConfigError, match="valid: group, control"):
        check_condition("crowd")


def test_seeds_are_stable_and_distinct_per_character_condition_and_session() -> None:
    characters, conditions = ("Mary Jones", "Robert Scott"), ("group", "control")
    seeds = {session_seed(c, k, i) for c in characters for k in conditions for i in (0, 1)}
    assert len(seeds) == 8
    assert session_seed("Mary Jones", "group", 0) == session_seed("Mary Jones", "group", 0)
    assert all(0 <= s < 2**31 for s in seeds)


def test_run_session_is_one_conversation_with_the_subjects_own_answers() -> None:
    chat = RecordingChat(lambda messages: f"I'd say line {sum(m.role == 'user' for m in messages) % 3 + 1}")
    records = run_session(BlankSimulacrum(chat), TRIALS, "group", GenerationConfig(max_tokens=24))
    assert len(records) == len(chat.calls) == 18
    for k, call in enumerate(chat.calls):
        assert [m.role for m in call.messages] == ["system"] + ["user", "assistant"] * k + ["user"]
        assert [m.content for m in call.messages if m.role == "assistant"] == [r.reply for r in records[:k]]
    assert [r.parsed for r in records[:3]] == [2, 3, 1]
