"""The ITEM round: a row's stimulus and seed reach the simulacrum, never the endpoint's messages."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from llmp_opencompass.adapters.item import ITEM_ROLE, item_json, parse_item
from llmp_opencompass.adapters.model import SimulacrumModel, split_prompt
from llmp_opencompass.errors import ConfigError
from llmp_opencompass.llm import ChatMessage, GenerationConfig, Usage
from llmp_opencompass.simulacra import SimulacrumReply, Stimulus

STIMULUS = Stimulus("What is your job?", ("forester", "chef"))


class Recorder:
    method = "prompt"

    def __init__(self) -> None:
        self.seen: list[tuple[tuple[ChatMessage, ...], GenerationConfig, Stimulus | None]] = []

    def respond(
        self, conversation: Sequence[ChatMessage], config: GenerationConfig, stimulus: Stimulus | None = None
    ) -> SimulacrumReply:
        self.seen.append((tuple(conversation), config, stimulus))
        return SimulacrumReply("The answer is A.", Usage(calls=1), finish_reason="length")


def test_item_round_trips_and_rejects_other_text() -> None:
    assert parse_item(item_json(STIMULUS, 3)).stimulus == STIMULUS and parse_item(item_json(STIMULUS)).seed is None
    assert STIMULUS.query == "What is your job?\nA. forester\nB. chef"
    with pytest.raises(ConfigError, match="ITEM round of a prompt is not an item"):
        parse_item("hello")


def test_model_takes_the_item_out_and_gives_stimulus_and_seed_to_the_simulacrum(shared_data_dir: Path) -> None:
    model = SimulacrumModel(path="m", character="Mary Jones", data_dir=str(shared_data_dir))
    recorder = Recorder()
    model._simulacrum = recorder  # type: ignore[assignment]
    prompt = [
        {"role": "SYSTEM", "prompt": "scene"},
        {"role": ITEM_ROLE, "prompt": item_json(STIMULUS, 7)},
        {"role": "HUMAN", "prompt": "Alice: What is your job?"},
    ]
    assert model.generate([prompt], max_out_len=32) == ["The answer is A."]
    ((conversation, config, stimulus),) = recorder.seen
    assert [m.role for m in conversation] == ["system", "user"] and stimulus == STIMULUS
    assert (config.seed, config.max_tokens) == (7, 32)
    usage = model.pop_usage(prompt)
    assert usage is not None and usage["finish_reason"] == "length"
    assert split_prompt(prompt)[1] == item_json(STIMULUS, 7)
    model.generate([prompt[::2]], max_out_len=32, seed=5)
    assert recorder.seen[-1][1].seed == 5 and recorder.seen[-1][2] is None
