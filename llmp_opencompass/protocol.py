"""The two protocols of a run: this package's defaults (``llmp``) and the original study's (``paper``).

``LLMP_PROTOCOL=paper`` reproduces the settings of Xie et al.'s code wherever they were
choices, not bugs; every difference is a row of the README's "paper protocol vs default"
table, with the reason the default differs. Bugs stay fixed in both (the crashing Cloze
branch, "male" in "female", the swapped Jung arguments, the duplicated RAG message, the
unseeded shuffles). A protocol sets defaults: a variable set explicitly
(``LLMP_TEMPERATURE``, ``LLMP_MAX_OUT_LEN``, ``LLMP_SHUFFLE``, ``LLMP_MEMORY_K``,
``LLMP_RETRIEVER``) still wins.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .errors import ConfigError
from .llm.types import DEFAULT_MAX_TOKENS, DEFAULT_TEMPERATURE
from .simulacra.options import MethodOptions

__all__ = ["PROTOCOLS", "Protocol", "ProtocolName", "get_protocol"]

ProtocolName = Literal["llmp", "paper"]


@dataclass(frozen=True)
class Protocol:
    """What a protocol fixes."""

    name: ProtocolName
    """``llmp`` (this package's defaults) or ``paper`` (the original study)."""
    temperature: float
    """Sampling temperature of the answering model (MACM's agents always use 0, as in both)."""
    max_tokens: int
    """Max tokens of an answer."""
    shuffle: bool
    """Choice options shuffled (seeded, re-lettered); off shows the upstream order and labels."""
    memory_k: int
    """MACM: long-term memories kept per question."""
    retriever: Literal["tfidf", "bm25", "dense", "hybrid"]
    """RAG and MACM's embedding mode: how passages are found."""
    persona_closing: bool
    """The persona ends with the original's closing request to answer and show the personality."""
    macm_context: Literal["system", "user"]
    """Where MACM's memories, thoughts and feelings go: into the system message, or (the original)
    a user message after the question, with the personality traits."""
    jung_thinking: bool
    """The Jung statement asks the character to think it over before its Yes or No."""
    control_scene: Literal["alone", "group"]
    """The bandwagon control: alone with the experimenter, or (the original) the group's room
    with the others' answers left out."""


_DEFAULTS = MethodOptions()
PROTOCOLS: dict[str, Protocol] = {
    "llmp": Protocol(
        "llmp", DEFAULT_TEMPERATURE, DEFAULT_MAX_TOKENS, True, _DEFAULTS.memory_k, _DEFAULTS.retriever,
        _DEFAULTS.persona_closing, _DEFAULTS.macm_context, False, "alone",
    ),
    "paper": Protocol("paper", 0.7, 1024, False, 1, "dense", True, "user", True, "group"),
}  # fmt: skip
"""The package's defaults come from their one source (``MethodOptions``, ``llm.types``)."""


def get_protocol(name: str) -> Protocol:
    """The protocol called ``name``, or a ``ConfigError`` listing the valid names."""
    try:
        return PROTOCOLS[name.strip().lower()]
    except KeyError:
        raise ConfigError(f"unknown protocol {name!r}; valid: {', '.join(PROTOCOLS)}") from None
