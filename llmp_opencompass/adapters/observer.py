"""The Open-Ended answers of the observer report on OpenCompass: dataset and config builder.

One dataset per character that has items, abbr ``llmp-observer-<character_slug>``; the
others are unavailable (upstream withholds their items): they get no dataset, a
summary row ``llmp-observer-<slug>-unavailable`` that shows "-", and a warning at
parse time. The evaluator (:mod:`.observer_eval`) writes the answers as a rater CSV
and, when ``LLMP_JUDGE_MODEL`` is set, asks an LLM judge for a 1-5 rating.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from pathlib import Path

from datasets import Dataset
from opencompass.datasets.base import BaseDataset
from opencompass.registry import LOAD_DATASET

from ..data.records import Character, Question
from ..data.store import HumanSimulacra
from ..errors import ConfigError
from ..experiments.observer import frame_open_ended, open_ended_items
from .configs import RunContext, assemble, chat_infer_cfg, prepare
from .observer_settings import JudgeSettings, ObserverSettings

__all__ = ["ObserverDataset", "build", "observer_abbr", "observer_summarizer", "unavailable_row"]

_log = logging.getLogger(__name__)


def observer_abbr(slug: str) -> str:
    """``llmp-observer-mary_jones``."""
    return f"llmp-observer-{slug}"


def unavailable_row(slug: str) -> str:
    """The summary row marking a character without Open-Ended items."""
    return f"llmp-observer-{slug}-unavailable"


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
            rows.append({"system": system, "prompt": user, "reference": _reference(question)})
        return Dataset.from_list(rows)


def observer_summarizer(available: Sequence[str], unavailable: Sequence[str], judged: bool) -> dict:
    """Per-character rows (judge rating, else answer count), a mean when judged, unavailable rows last."""
    metric = "judge_rating" if judged else "n_answers"
    abbrs = [observer_abbr(s) for s in available]
    groups = [dict(name="llmp-observer-judge-mean", subsets=[(a, "judge_rating") for a in abbrs])] if judged else []
    rows: list = [("llmp-observer-judge-mean", "naive_average")] if judged else []
    rows += [(a, metric) for a in abbrs] + [unavailable_row(s) for s in unavailable]
    return dict(dataset_abbrs=rows, summary_groups=groups)


def _evaluator(run: RunContext, judge: JudgeSettings | None) -> dict:
    config: dict = dict(type="llmp_opencompass.adapters.observer_eval.ObserverEvaluator", **run.data)
    if judge is not None:
        config["judge"] = asdict(judge)
    return config


def _dataset(character: Character, run: RunContext, options: ObserverSettings) -> dict:
    return dict(
        type="llmp_opencompass.adapters.observer.ObserverDataset",
        abbr=observer_abbr(character.slug),
        **run.data,
        character=character.name,
        open_ended_dir=str(options.open_ended_dir) if options.open_ended_dir else None,
        reader_cfg=dict(input_columns=["system", "prompt"], output_column="reference"),
        infer_cfg=chat_infer_cfg(run),
        eval_cfg=dict(evaluator=_evaluator(run, options.judge)),
    )


def _available(run: RunContext, options: ObserverSettings) -> tuple[list[Character], list[Character]]:
    store = HumanSimulacra(
        Path(run.data["data_dir"]), verify=run.data["verify_data"], extra=run.data.get("extra_characters", ())
    )
    with_items = [c for c in run.characters if open_ended_items(store, c.name, options.open_ended_dir)]
    return with_items, [c for c in run.characters if c not in with_items]


def build(methods: str | Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> dict:
    """The observer run over the characters that have Open-Ended items (see the module docstring)."""
    env = os.environ if environ is None else environ
    chosen = (methods,) if isinstance(methods, str) else methods
    options = ObserverSettings.from_environment(env, chosen)
    run = prepare(options.methods, env)
    available, unavailable = _available(run, options)
    if unavailable:
        _log.warning(
            "Open-Ended items unavailable (withheld upstream) for: %s; supply your own with LLMP_OPEN_ENDED_DIR",
            ", ".join(c.name for c in unavailable),
        )
    if not available:
        raise ConfigError(
            "none of the selected characters has Open-Ended items (upstream only Mary Jones and Haley Collins do); "
            "select one of them with LLMP_CHARACTERS, or supply items with LLMP_OPEN_ENDED_DIR=DIR "
            "(DIR/<Name>/Open-Ended.json)"
        )
    summarizer = observer_summarizer(
        [c.slug for c in available], [c.slug for c in unavailable], options.judge is not None
    )
    return assemble(run, {c: [_dataset(c, run, options)] for c in available}, summarizer)
