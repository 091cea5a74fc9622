"""Write a character's biography (the card's ``Content``) from the profile line and traits.

One chat call, as the paper's introduction script does (temperature 0.5): a biographer
prompt as the system message, the profile line and the personality statements as the
user message. The reply is cleaned into plain paragraphs separated by blank lines
(titles, headings, preambles and Markdown are dropped). Assembling the card is the
profile's job; this module only returns the text.

:func:`reply_paragraphs` is the cleaning step, shared with the story expansion.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

from ..errors import LlmpError
from ..llm.types import ChatMessage, ChatModel, ChatResponse, GenerationConfig
from ..prompts import render

__all__ = [
    "GenerationError",
    "DEFAULT_BIOGRAPHY_CONFIG",
    "BIOGRAPHY_WORDS",
    "BIOGRAPHY_PARAGRAPHS",
    "write_biography",
    "biography_messages",
    "clean_biography",
    "reply_paragraphs",
]

_log = logging.getLogger(__name__)

DEFAULT_BIOGRAPHY_CONFIG = GenerationConfig(temperature=0.5, max_tokens=900)
"""The paper's temperature; 900 tokens leave room for about 480 words."""
BIOGRAPHY_WORDS = (350, 480)
"""Asked-for length in words (the shipped biographies have 355-484)."""
BIOGRAPHY_PARAGRAPHS = (6, 10)
"""Asked-for number of paragraphs (as in the shipped biographies)."""


class GenerationError(LlmpError):
    """A model's reply cannot be used (empty, or cut off before one whole paragraph)."""


def write_biography(
    chat: ChatModel,
    basic_infos_line: str,
    traits: Sequence[str],
    *,
    config: GenerationConfig = DEFAULT_BIOGRAPHY_CONFIG,
) -> str:
    """The biography, paragraphs separated by ``"\\n\\n"``.

    Args:
        chat: the model that writes it.
        basic_infos_line: the profile line ("Name: X, Age: N, ..."); quote-pair marker lines are ignored.
        traits: the personality statements (a leading "- " is ignored).
        config: generation settings; the default is the paper's temperature 0.5.

    Raises:
        GenerationError: the reply holds no usable paragraph.
    """
    messages = biography_messages(basic_infos_line, traits)
    response = chat.complete(messages, config)
    text = clean_biography(response, who=_name_of(basic_infos_line))
    words = len(text.split())
    if not BIOGRAPHY_WORDS[0] * 0.8 <= words <= BIOGRAPHY_WORDS[1] * 1.2:
        _log.warning(
            "biography of %s has %d words (asked for %d-%d)", _name_of(basic_infos_line), words, *BIOGRAPHY_WORDS
        )
    return text


def biography_messages(basic_infos_line: str, traits: Sequence[str]) -> tuple[ChatMessage, ChatMessage]:
    """The system and user messages of :func:`write_biography`."""
    profile = "\n".join(line.strip() for line in basic_infos_line.splitlines() if line.strip() not in ("", '""'))
    statements = [re.sub(r"^-\s*", "", t.strip()) for t in traits]
    statements = [t for t in statements if t]
    if not profile:
        raise ValueError("write_biography needs the profile line ('Name: ..., Age: ..., ...'); it was empty")
    if not statements:
        raise ValueError(f"write_biography needs the personality statements of {_name_of(profile)}; none were given")
    system = render(
        "character_biography",
        min_words=BIOGRAPHY_WORDS[0],
        max_words=BIOGRAPHY_WORDS[1],
        min_paragraphs=BIOGRAPHY_PARAGRAPHS[0],
        max_paragraphs=BIOGRAPHY_PARAGRAPHS[1],
    )
    user = render("character_biography_input", profile=profile, traits="\n".join(f"- {t}" for t in statements))
    return ChatMessage("system", system), ChatMessage("user", user)


def clean_biography(response: ChatResponse, *, who: str = "the character") -> str:
    """The reply's paragraphs joined by blank lines (see :func:`reply_paragraphs`)."""
    text = response.text.strip()
    paragraphs = reply_paragraphs(text, blank_line_separated=bool(re.search(r"\n\s*\n", text)))
    paragraphs = drop_cut_off(paragraphs, response, what=f"the biography of {who}")
    return "\n\n".join(paragraphs)


def drop_cut_off(paragraphs: Sequence[str], response: ChatResponse, *, what: str) -> tuple[str, ...]:
    """``paragraphs`` without a last one cut off at the token limit.

    Raises:
        GenerationError: nothing whole is left.
    """
    kept = tuple(paragraphs)
    if kept and response.finish_reason == "length" and not _ENDS_SENTENCE.search(kept[-1]):
        _log.warning("%s was cut off at the token limit; dropping its unfinished last paragraph", what)
        kept = kept[:-1]
        if not kept:
            raise GenerationError(
                f"{what} was cut off at the token limit before one whole paragraph; "
                "raise max_tokens in the generation config"
            )
    if not kept:
        raise GenerationError(
            f"the model returned no usable text for {what} (reply: {response.text[:80]!r}); "
            "check the endpoint and model, then run again"
        )
    return kept


_HEADING = re.compile(r"^\s*(?:#{1,6}\s|#{1,6}$|(?:\*\*|__)[^*_]+(?:\*\*|__):?\s*$|[-*_=]{3,}\s*$)")
_LIST_MARKER = re.compile(r"^(?:[-*+•]\s+|\d{1,2}[.)]\s+|(?:paragraph|part)\s+\d+\s*[:.)-]\s*)", re.IGNORECASE)
_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1|(?<![\w*])\*(?!\s)([^*]+?)(?<!\s)\*(?![\w*])")
_ENDS_SENTENCE = re.compile(r"[.!?…][\"'”’)\]]*$|[\"'”’]$")
_TITLE_WORDS = 10


def reply_paragraphs(text: str, *, blank_line_separated: bool = False) -> tuple[str, ...]:
    """The prose paragraphs of a model reply, cleaned of Markdown.

    Each line is a paragraph, or with ``blank_line_separated`` each run of lines between
    blank lines (joined by spaces). Heading and rule lines are dropped and end a
    paragraph; so are short title or preamble paragraphs (at most 10 words, not ending
    like a sentence, e.g. "Early Years" or "Here is the story:"). List markers and
    ``**``/``*``/``__`` emphasis are removed.
    """
    blocks: list[list[str]] = [[]]
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if not line.strip() or _HEADING.match(line):
            blocks.append([])
        else:
            blocks[-1].append(line.strip())
            if not blank_line_separated:
                blocks.append([])
    paragraphs = (_clean_inline(" ".join(block)) for block in blocks if block)
    return tuple(p for p in paragraphs if p and not _is_title(p))


def _clean_inline(paragraph: str) -> str:
    paragraph = _LIST_MARKER.sub("", paragraph)
    paragraph = _EMPHASIS.sub(lambda m: m.group(2) or m.group(3) or "", paragraph)
    return re.sub(r"\s+", " ", paragraph).strip()


def _is_title(paragraph: str) -> bool:
    return len(paragraph.split()) <= _TITLE_WORDS and (paragraph.endswith(":") or not _ENDS_SENTENCE.search(paragraph))


def _name_of(profile: str) -> str:
    match = re.search(r"Name:\s*([^,\n]+)", profile)
    return match.group(1).strip() if match else "the character"
