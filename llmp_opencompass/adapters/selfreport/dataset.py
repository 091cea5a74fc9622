"""``SelfReportDataset``: one character's questionnaire of one type as an OpenCompass dataset.

Columns: ``system`` (the scene), ``prompt`` (the friend's question), ``persona``
(the character card as a system prompt, used by the drop-in datasets that have no
simulacrum model), and ``reference`` (JSON with the type, displayed options and
gold, read by :class:`SelfReportEvaluator`).

Without ``data_dir`` (the drop-in configs), the loader finds the data itself when it
runs, in the task subprocess: ``LLMP_DATA_DIR``, else the user cache, else a download
(see :mod:`llmp_opencompass.data.locate`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from datasets import Dataset
from opencompass.datasets.base import BaseDataset
from opencompass.registry import LOAD_DATASET

from ...data.locate import open_store
from ...data.records import QuestionType
from ...data.store import HumanSimulacra
from ...errors import ConfigError
from ...experiments.selfreport.circular import rotations
from ...experiments.selfreport.framing import FramedQuestion, frame_question
from ...settings.data import data_settings
from ...simulacra.persona import persona_prompt
from ..item import item_json
from ..rows import text_rows_dataset

__all__ = ["SelfReportDataset", "open_data", "reference_json", "selfreport_rows"]


def reference_json(framed: FramedQuestion, rotation: int | None = None, repeat: int = 0) -> str:
    """What the evaluator needs to score a reply, as a JSON string (``rotation``: circular rows)."""
    question = framed.question
    reference = {
        "character": question.character,
        "type": question.type.value,
        "number": question.number,
        "options": list(framed.options),
        "gold": list(framed.gold),
        "repeat": repeat,
    }
    if rotation is not None:
        reference["rotation"] = rotation
    return json.dumps(reference, ensure_ascii=False)


def selfreport_rows(
    store: HumanSimulacra,
    character: str,
    question_type: str,
    *,
    shuffle: bool = True,
    circular: bool = False,
    repeats: int = 1,
) -> list[dict[str, str]]:
    """The rows of one character's questionnaire: one per item, or (``circular``) one per
    (item, rotation of its options) with the rotation in the reference; all of it ``repeats``
    times, repeat r with its own option order and, when there is more than one, the sampling
    seed r."""
    if repeats < 1:
        raise ConfigError(f"repeats must be at least 1, got {repeats}")
    card = store.character(character)
    persona = persona_prompt(card)
    rows = []
    for repeat in range(repeats):
        seed = repeat if repeats > 1 else None  # one repeat sends no seed, as before repeats existed
        for question in store.questions(card.name, QuestionType.parse(question_type)):
            framed = frame_question(question, shuffle=shuffle, repeat=repeat)
            asked = enumerate(rotations(framed)) if circular else [(None, framed)]
            rows += [
                {
                    "system": f.system,
                    "prompt": f.user,
                    "persona": persona,
                    "item": item_json(f.stimulus, seed),
                    "reference": reference_json(f, shift, repeat),
                }
                for shift, f in asked
            ]
    return rows


def open_data(
    data_dir: str | None, verify_data: bool = True, extra_characters: Sequence[str] | None = None
) -> HumanSimulacra:
    """The data at ``data_dir`` plus the ``extra_characters`` folders, or (``data_dir`` None) where
    the environment says, downloading if needed."""
    if data_dir:
        return HumanSimulacra(Path(data_dir), verify=verify_data, extra=extra_characters or ())
    settings = data_settings(os.environ)  # the drop-in configs' edge: the task process
    extra = tuple(Path(p) for p in extra_characters) if extra_characters is not None else settings.extra_characters
    return open_store(replace(settings, verify=settings.verify and verify_data, extra_characters=extra))


@LOAD_DATASET.register_module()
class SelfReportDataset(BaseDataset):
    """Self-report items of one character and type, framed and (by default) option-shuffled."""

    @staticmethod
    def load(  # type: ignore[override]
        character: str,
        question_type: str,
        data_dir: str | None = None,
        shuffle: bool = True,
        verify_data: bool = True,
        extra_characters: list[str] | None = None,
        circular: bool = False,
        repeats: int = 1,
    ) -> Dataset:
        """Rows for ``character``'s ``question_type`` items (Cloze, Single_choice, Multiple_choices);
        ``circular``: one row per rotation of a choice item's options; ``repeats``: every item
        asked that many times (see :func:`selfreport_rows`)."""
        store = open_data(data_dir, verify_data, extra_characters)
        rows = selfreport_rows(store, character, question_type, shuffle=shuffle, circular=circular, repeats=repeats)
        return text_rows_dataset(rows)
