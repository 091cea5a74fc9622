"""The paper protocol's defaults, and what each protocol changes in the simulacra and experiments."""

from __future__ import annotations

import pytest

from llmp_opencompass.errors import ConfigError
from llmp_opencompass.experiments.bandwagon import scene_message
from llmp_opencompass.protocol import PROTOCOLS, get_protocol
from llmp_opencompass.scoring.agreement import Agreement, parse_agreement
from llmp_opencompass.settings.run import RunSettings
from llmp_opencompass.simulacra import MethodOptions


def test_paper_protocol_sets_defaults_that_explicit_variables_override() -> None:
    paper = RunSettings.from_environment({"LLMP_MODEL": "m", "LLMP_PROTOCOL": "Paper"})
    assert (paper.temperature, paper.max_out_len, paper.shuffle) == (0.7, 1024, False)
    assert (paper.options.memory_k, paper.options.retriever, paper.options.macm_context) == (1, "dense", "user")
    assert paper.options.persona_closing and paper.protocol.jung_thinking
    mine = RunSettings.from_environment({"LLMP_MODEL": "m", "LLMP_PROTOCOL": "paper", "LLMP_TEMPERATURE": "0"})
    assert mine.temperature == 0 and mine.max_out_len == 1024
    default = RunSettings.from_environment({"LLMP_MODEL": "m"})
    assert default.protocol is PROTOCOLS["llmp"] and default.options == MethodOptions(
        index_cache_dir=default.options.index_cache_dir, embedding_base_url=default.base_url
    ), "the llmp protocol is MethodOptions' defaults"
    with pytest.raises(ConfigError, match="unknown protocol 'papers'; valid: llmp, paper"):
        get_protocol("papers")


def test_jung_answer_after_a_marker_and_the_bandwagon_control_room() -> None:
    assert parse_agreement("No wait, let me think. Yes, I guess.\nAnswer: No") is Agreement.NO
    assert parse_agreement("Hmm... My answer is: yes.") is Agreement.YES
    alone, room = scene_message("control", 18), scene_message("control", 18, "group")
    assert "alone with the experimenter" in alone.content and "seven other volunteers" in room.content
    assert room == scene_message("group", 18, "group")
    with pytest.raises(ConfigError, match="control_scene must be 'alone' or 'group'"):
        scene_message("control", 18, "empty")
