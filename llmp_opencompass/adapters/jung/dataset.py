"""``JungDataset``: one character's Jung items (a seeded sample of the 640 statements).

Columns: ``system`` (the chat scene), ``prompt`` (the statement question), ``persona``
(the character card, for the drop-in prompt variant) and ``reference`` (JSON with the
statement, its function and level, and the character's true order, read by
:class:`~llmp_opencompass.adapters.jung.evaluator.JungEvaluator`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from datasets import Dataset
from opencompass.datasets.base import BaseDataset
from opencompass.registry import LOAD_DATASET

from ...data.traits import load_traits
from ...errors import ConfigError
from ...experiments.jung import JungItem, jung_items, true_order
from ...prompts import render
from ...simulacra import Stimulus
from ...simulacra.persona import persona_prompt
from ..item import item_json
from ..selfreport.dataset import open_data

__all__ = ["JungDataset"]


def _reference(item: JungItem, order: Sequence[str]) -> str:
    statement = item.statement
    return json.dumps(
        {
            "character": item.character,
            "function": statement.function,
            "level": statement.level,
            "number": statement.number,
            "statement": statement.text,
            "true_order": list(order),
        },
        ensure_ascii=False,
    )


@LOAD_DATASET.register_module()
class JungDataset(BaseDataset):
    """One character's Jung items: the chat scene, the statement question, the reference JSON."""

    @staticmethod
    def load(  # type: ignore[override]
        data_dir: str | None = None,
        character: str | None = None,
        ratio: float = 1.0,
        verify_data: bool = True,
        extra_characters: list[str] | None = None,
        thinking: bool = False,
    ) -> Dataset:
        """Rows for ``character`` (``ratio`` of each level's statements, seeded): the scene
        (``system``), the statement question (``prompt``), the character card as a persona
        (``persona``, for the drop-in prompt variant), the stimulus (``item``: the statement)
        and the reference JSON.

        Without ``data_dir`` (the drop-in configs) the data is found as the environment says.
        """
        if not character:
            raise ConfigError("JungDataset needs character=<a character's name>, e.g. character='Mary Jones'")
        store = open_data(data_dir, verify_data, extra_characters)
        card = store.character(character)
        catalog = load_traits(store)
        order = true_order(card, catalog).order
        scene = render("selfreport_scene")
        prompt = "jung_statement_paper" if thinking else "jung_statement"  # the paper protocol thinks first
        persona = persona_prompt(card)
        rows = [
            {
                "system": scene,
                "prompt": render(prompt, statement=item.statement.text),
                "persona": persona,
                "item": item_json(Stimulus(item.statement.text)),
                "reference": _reference(item, order),
            }
            for item in jung_items(catalog, card.name, ratio)
        ]
        return Dataset.from_list(rows)
