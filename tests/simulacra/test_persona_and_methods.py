"""Persona prompt and the blank/prompt simulacra (through a recording ChatModel)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from llmp_opencompass.errors import ConfigError
from llmp_opencompass.llm import ChatMessage, ChatResponse, GenerationConfig
from llmp_opencompass.simulacra import build_simulacrum, persona_prompt
from tests.support.cards import CARD

CONVERSATION = [ChatMessage("system", "You are chatting with Alice."), ChatMessage("user", "How old are you?")]


class Recorder:
    """Records what a simulacrum sends; answers with a fixed text."""

    def __init__(self) -> None:
        self.sent: list[tuple[ChatMessage, ...]] = []

    def complete(self, messages: Sequence[ChatMessage], config: GenerationConfig) -> ChatResponse:
        self.sent.append(tuple(messages))
        return ChatResponse("The answer is 29.")


def test_persona_has_card_fields_extra_and_no_markers() -> None:
    text = persona_prompt(CARD)
    assert text.startswith("You are Mary Jones")
    assert "Occupation: forestry worker, Pet: a dog named Rex." in text
    assert "- I am a fan of extreme sports.\n- I like throwing parties." in text
    assert "She loves nature." in text
    assert '""' not in text


def test_blank_sends_the_conversation_without_character_information() -> None:
    chat = Recorder()
    reply = build_simulacrum("blank", chat, CARD).respond(CONVERSATION, GenerationConfig())
    assert reply.text == "The answer is 29." and reply.usage.calls == 1
    assert chat.sent == [tuple(CONVERSATION)]
    assert "Mary" not in str(chat.sent)


def test_prompt_merges_persona_and_scene_into_one_leading_system_message() -> None:
    chat = Recorder()
    build_simulacrum("prompt", chat, CARD).respond(CONVERSATION, GenerationConfig())
    (system, user), = chat.sent
    assert system.role == "system" and system.content.startswith("You are Mary Jones")
    assert system.content.endswith("You are chatting with Alice.")
    assert user == CONVERSATION[1]


def test_unknown_method_lists_valid_methods() -> None:
    with pytest.raises(ConfigError, match="valid methods: blank, prompt"):
        build_simulacrum("telepathy", Recorder(), CARD)
