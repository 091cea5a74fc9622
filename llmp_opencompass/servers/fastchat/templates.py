"""Choosing FastChat's conversation template.

A wrong template silently degrades every answer (the model sees a prompt format it
was not trained on). The choice, in order: the user's ``--conv-template``; a known
pattern of the model name or path (below); FastChat's own detection from the path.
When FastChat would fall back to its generic ``one_shot`` template, we warn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["TemplateChoice", "choose_conv_template", "KNOWN_TEMPLATES"]

KNOWN_TEMPLATES: tuple[tuple[str, str], ...] = (
    (r"llama-?2.*chat", "llama-2"),
    (r"vicuna", "vicuna_v1.1"),
    (r"mistral.*instruct", "mistral"),
    (r"zephyr", "zephyr"),
    (r"tinyllama", "TinyLlama"),
    # ChatML models: qwen-7b-chat is ChatML, and its extra stop ids lie outside small vocabularies
    (r"smollm|qwen", "qwen-7b-chat"),
)
"""(regex on the lower-cased model name and path, FastChat template name)."""

_GENERIC = "one_shot"


@dataclass(frozen=True)
class TemplateChoice:
    """The template to use and why."""

    name: str | None
    """Template name to pass as ``--conv-template``; None lets FastChat decide."""
    reason: str
    """How it was chosen, for the log."""
    warning: str | None = None
    """Set when the choice is likely wrong."""


def choose_conv_template(model_path: str, model_name: str, override: str | None = None) -> TemplateChoice:
    """Pick the template for a model (see the module docstring)."""
    if override:
        return TemplateChoice(override, "given with --conv-template")
    haystack = f"{model_name} {model_path}".lower()
    for pattern, template in KNOWN_TEMPLATES:
        if re.search(pattern, haystack):
            return TemplateChoice(template, f"model name matches {pattern!r}")
    detected = _fastchat_detection(model_path)
    if detected == _GENERIC:
        return TemplateChoice(
            None,
            "FastChat's detection from the path",
            f"no conversation template is known for {model_name!r}; FastChat falls back to its generic "
            f"{_GENERIC!r} template, which degrades answers. Pass --conv-template NAME "
            "(e.g. llama-2, vicuna_v1.1, mistral, qwen-7b-chat for ChatML models).",
        )
    return TemplateChoice(detected, "FastChat's detection from the path")


def _fastchat_detection(model_path: str) -> str | None:
    try:
        from fastchat.model.model_adapter import get_conversation_template
    except ImportError:
        return None
    return str(get_conversation_template(model_path).name)
