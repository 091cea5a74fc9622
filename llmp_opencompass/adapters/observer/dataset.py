"""``ObserverDataset``: one character's Open-Ended items (the chat scene, the scenario request,
the reference JSON read by :class:`~llmp_opencompass.adapters.observer.evaluator.ObserverEvaluator`)."""

from __future__ import annotations

import json
from pathlib import Path

from datasets import Dataset
from opencompass.datasets.base import BaseDataset
from opencompass.registry import LOAD_DATASET

from ...data.records import Question
from ...data.store import HumanSimulacra
from ...errors import ConfigError
from ...experiments.observer import frame_open_ended, open_ended_items
from ...simulacra import Stimulus
from ..item import item_json

__all__ = ["ObserverDataset"]


def _reference(question: Question) -> str:
    return json.dumps(
        {"character": question.character, "number": question.number, "scenario": question.text}, ensure_ascii=False
    )


@LOAD_DATASET.register_module()
class ObserverDataset(BaseDataset):
    """One character's Open-Ended items: the chat scene, the scenario request, the reference JSON."""

    @staticmethod
    def load(  # type: ignore[override]
        data_dir: str,
        character: str,
        open_ended_dir: str | None = None,
        verify_data: bool = True,
        extra_characters: list[str] | None = None,
    ) -> Dataset:
        """Rows for ``character``'s items (the user's file in ``open_ended_dir`` when present)."""
        store = HumanSimulacra(Path(data_dir), verify=verify_data, extra=extra_characters or ())
        items = open_ended_items(store, character, Path(open_ended_dir) if open_ended_dir else None)
        if not items:
            raise ConfigError(f"{character} has no Open-Ended items; the builder should have left it out")
        rows = []
        for question in items:
            system, user = frame_open_ended(question)
            item = item_json(Stimulus(question.text))
            rows.append({"system": system, "item": item, "prompt": user, "reference": _reference(question)})
        return Dataset.from_list(rows)
