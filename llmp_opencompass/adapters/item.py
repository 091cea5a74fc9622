"""The item of a dataset row as it travels to ``SimulacrumModel``: the stimulus and the sampling seed.

OpenCompass hands a model only the rendered prompt. Our configs' prompt template adds one
reserved ``ITEM`` round (see :data:`ITEM_ROLE`) whose text is the row's ``item`` column: a
JSON record of the stimulus (what the character is asked: the question with its displayed
options, a statement...) and of the seed to sample with. ``SimulacrumModel`` takes the
round out of the conversation before anything is sent, and gives the stimulus to the
simulacrum (retrieval and MACM's agents look at it) and the seed to the endpoint. Because
the item travels inside the prompt, it survives batching, concurrency and ``-r`` resumes,
and identical questions asked twice (repeats) stay apart.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from ..errors import ConfigError
from ..simulacra import Stimulus

__all__ = ["ITEM_ROLE", "Item", "item_json", "parse_item"]

ITEM_ROLE = "ITEM"
"""The reserved prompt role of the item round (never sent to an endpoint)."""


@dataclass(frozen=True)
class Item:
    """What a row asks, and how."""

    stimulus: Stimulus
    """What the character is asked."""
    seed: int | None = None
    """The sampling seed of this row (None: the endpoint's default)."""


def item_json(stimulus: Stimulus, seed: int | None = None) -> str:
    """The ``item`` column of a row."""
    return json.dumps({"stimulus": stimulus.to_dict(), "seed": seed}, ensure_ascii=False)


def parse_item(text: str) -> Item:
    """The inverse of :func:`item_json`.

    Raises:
        ConfigError: the text is not an item (a prompt template put something else in the round).
    """
    try:
        data = json.loads(text)
        seed = data.get("seed")
        if not isinstance(data, Mapping) or not (seed is None or isinstance(seed, int)):
            raise ValueError("expected {'stimulus': ..., 'seed': int or null}")
        return Item(Stimulus.from_dict(data["stimulus"]), seed)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ConfigError(f"the {ITEM_ROLE} round of a prompt is not an item ({exc}): {text[:200]!r}") from None
