"""Biography writing: one call, the paper's temperature, and a reply cleaned into plain paragraphs."""

from __future__ import annotations

import pytest

from llmp_opencompass.characters.biography import (
    DEFAULT_BIOGRAPHY_CONFIG,
    GenerationError,
    reply_paragraphs,
    write_biography,
)
from llmp_opencompass.llm import ChatMessage, ChatResponse, GenerationConfig
from llmp_opencompass.prompts import fields, render
from tests.support.fakes import RecordingChat

PROFILE = '""\nName: Mary Jones, Age: 29, Gender: female, Occupation: forestry worker.\n""\n'
TRAITS = ("- I am a fan of extreme sports.", "I like throwing parties.", "  ")


class Truncated:
    """Answers with ``text`` and finish_reason "length" (cut off at max_tokens)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def complete(self, messages: list[ChatMessage], config: GenerationConfig) -> ChatResponse:
        return ChatResponse(self.text, finish_reason="length")


def test_one_call_with_profile_and_traits_at_the_papers_temperature() -> None:
    chat = RecordingChat(lambda messages: "Mary Jones was born in 1994.\n\nShe works in the forest.")
    text = write_biography(chat, PROFILE, TRAITS, config=DEFAULT_BIOGRAPHY_CONFIG)
    assert text == "Mary Jones was born in 1994.\n\nShe works in the forest."
    (call,) = chat.calls
    assert call.config.temperature == 0.5 and call.config.max_tokens >= 800
    system, user = call.messages
    assert system.role == "system" and "biograph" in system.content and "350 to 480 words" in system.content
    assert user.content.startswith("Profile:\nName: Mary Jones, Age: 29") and '""' not in user.content
    assert "- I am a fan of extreme sports.\n- I like throwing parties." in user.content
    assert user.content.count("- ") == 2  # the blank statement is dropped


def test_headings_preambles_and_markdown_are_dropped() -> None:
    reply = (
        "Here is the biography of Mary Jones:\n\n"
        "# Mary Jones\n\n"
        "**Early Years**\n"
        "Mary was born in **Denver** in 1994,\n"
        "the *second* child of two teachers.\n\n"
        "---\n\n"
        "## Today\n"
        "She works as a forestry worker.\n"
    )
    text = write_biography(RecordingChat(lambda m: reply), PROFILE, TRAITS, config=DEFAULT_BIOGRAPHY_CONFIG)
    assert text == (
        "Mary was born in Denver in 1994, the second child of two teachers.\n\nShe works as a forestry worker."
    )


def test_one_paragraph_per_line_becomes_blank_line_separated() -> None:
    reply = "  Mary was born in 1994.\nShe grew up in Denver.\r\nShe works in the forest.  \n"
    text = write_biography(RecordingChat(lambda m: reply), PROFILE, TRAITS, config=DEFAULT_BIOGRAPHY_CONFIG)
    assert text == "Mary was born in 1994.\n\nShe grew up in Denver.\n\nShe works in the forest."


@pytest.mark.parametrize("reply", ["", "   \n\n ", "# Biography\n\n**Mary Jones**"])
def test_empty_reply_is_an_error(reply: str) -> None:
    with pytest.raises(GenerationError, match="no usable text for the biography of Mary Jones"):
        write_biography(RecordingChat(lambda m: reply), PROFILE, TRAITS, config=DEFAULT_BIOGRAPHY_CONFIG)


def test_a_paragraph_cut_off_at_the_token_limit_is_dropped() -> None:
    text = write_biography(
        Truncated("Mary was born in 1994.\n\nShe then moved to the city of"),
        PROFILE,
        TRAITS,
        config=DEFAULT_BIOGRAPHY_CONFIG,
    )
    assert text == "Mary was born in 1994."
    with pytest.raises(GenerationError, match="raise max_tokens"):
        write_biography(
            Truncated("Mary was born in Denver to two teachers in the year of"),
            PROFILE,
            TRAITS,
            config=DEFAULT_BIOGRAPHY_CONFIG,
        )


def test_missing_inputs_are_refused() -> None:
    with pytest.raises(ValueError, match="profile line"):
        write_biography(RecordingChat(), '""\n""', TRAITS, config=DEFAULT_BIOGRAPHY_CONFIG)
    with pytest.raises(ValueError, match="personality statements of Mary Jones"):
        write_biography(RecordingChat(), PROFILE, ["", "- "], config=DEFAULT_BIOGRAPHY_CONFIG)


def test_reply_paragraphs_keeps_dialogue_and_strips_list_markers() -> None:
    reply = '1. Mary laughed.\n- "Not again," she said.\nParagraph 3: It rained for a week.\nThe End'
    assert reply_paragraphs(reply) == ("Mary laughed.", '"Not again," she said.', "It rained for a week.")


@pytest.mark.parametrize(
    "name",
    [
        "character_biography",
        "character_biography_input",
        "character_expand",
        "character_expand_input",
        "character_expand_marker",
        "character_expand_gap",
    ],
)
def test_templates_render_with_all_fields(name: str) -> None:
    text = render(name, **{f: f"<{f}>" for f in fields(name)})
    assert text and all(f"<{f}>" in text for f in fields(name))
