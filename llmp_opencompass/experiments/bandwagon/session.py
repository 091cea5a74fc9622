"""One session: a single conversation in which the subject judges every trial in turn.

The conversation is a system message setting the scene (the experimenter's
instructions), then one user message per trial; the subject's own earlier answers
stay in the conversation as assistant messages (true multi-turn). Condition
``group``: six other volunteers speak before the subject and each names the
trial's group line. Condition ``control``: the subject is alone with the
experimenter and hears no other answer.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Literal

from ...errors import ConfigError
from ...llm.types import ChatMessage, GenerationConfig
from ...prompts import render
from ...scoring.line_choice import parse_line
from ...simulacra.base import Simulacrum, Stimulus
from .records import TrialRecord
from .trials import Trial, format_length

__all__ = [
    "CONDITIONS",
    "GROUP_SIZE",
    "Condition",
    "check_condition",
    "run_session",
    "scene_message",
    "session_seed",
    "trial_message",
]

Condition = Literal["group", "control"]
CONDITIONS: tuple[str, ...] = ("group", "control")
"""``group``: the others answer aloud before the subject; ``control``: nobody else answers."""
GROUP_SIZE = 6
"""Volunteers who answer before the subject (Asch's unanimous majority)."""


def check_condition(condition: str) -> Condition:
    """Return ``condition`` if known, else raise ``ConfigError`` naming the valid ones."""
    if condition not in CONDITIONS:
        raise ConfigError(f"unknown bandwagon condition {condition!r}; valid: {', '.join(CONDITIONS)}")
    return condition  # type: ignore[return-value]


def scene_message(condition: str, rounds: int, control_scene: str = "alone") -> ChatMessage:
    """The experimenter's instructions, as the system message. ``control_scene="group"`` (the paper
    protocol) puts the control subject in the group's room, as the original did, where only the
    others' answers are left out; by default the control subject is alone with the experimenter."""
    scene = check_condition(condition)
    if control_scene not in ("alone", "group"):
        raise ConfigError(f"control_scene must be 'alone' or 'group', got {control_scene!r}")
    if scene == "control" and control_scene == "group":
        scene = "group"
    return ChatMessage("system", render(f"bandwagon_scene_{scene}", rounds=rounds))


def trial_message(trial: Trial, condition: str, rounds: int) -> ChatMessage:
    """One trial as the experimenter's user message (with the others' answers in ``group``)."""
    lengths = dict(
        round=trial.number,
        rounds=rounds,
        standard=format_length(trial.standard),
        line_1=format_length(trial.lines[0]),
        line_2=format_length(trial.lines[1]),
        line_3=format_length(trial.lines[2]),
    )
    if check_condition(condition) == "control":
        return ChatMessage("user", render("bandwagon_trial_control", **lengths))
    answers = ", ".join([render("bandwagon_other_answer", line=trial.group)] * GROUP_SIZE)
    return ChatMessage("user", render("bandwagon_trial_group", **lengths, answers=answers))


def session_seed(character: str, condition: str, session: int) -> int:
    """The sampling seed of one session: a SHA-256 digest of (character, condition, session index),
    as a non-negative 31-bit int (what OpenAI-compatible servers accept)."""
    payload = f"bandwagon\x1f{character}\x1f{check_condition(condition)}\x1f{session}".encode()
    return int.from_bytes(hashlib.sha256(payload).digest()[:4], "big") & 0x7FFFFFFF


def run_session(
    simulacrum: Simulacrum,
    trials: Sequence[Trial],
    condition: str,
    config: GenerationConfig,
    control_scene: str = "alone",
) -> tuple[TrialRecord, ...]:
    """Run one session without OpenCompass (notebooks, the chat CLI): every trial in turn,
    each reply parsed and kept in the conversation."""
    conversation = [scene_message(condition, len(trials), control_scene)]
    records = []
    for trial in trials:
        message = trial_message(trial, condition, len(trials))
        conversation.append(message)
        reply = simulacrum.respond(conversation, config, Stimulus(message.content))
        conversation.append(ChatMessage("assistant", reply.text))
        records.append(TrialRecord(trial, reply.text, parse_line(reply.text)))
    return tuple(records)
