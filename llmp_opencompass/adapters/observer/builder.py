"""Config builder of the observer report's Open-Ended answers: ``configs/llmp_observer.py`` calls :func:`build`.

One dataset per character that has items, abbr ``llmp-observer-<character_slug>``; the
others are unavailable (upstream withholds their items): they get no dataset, a
summary row ``llmp-observer-<slug>-unavailable`` that shows "-", and a warning at
parse time. The evaluator (:mod:`.evaluator`) writes the answers as a rater CSV
and, when ``LLMP_JUDGE_MODEL`` is set, asks an LLM judge for a 1-5 rating.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from pathlib import Path

from ...data.records import Character
from ...data.store import HumanSimulacra
from ...errors import ConfigError
from ...experiments.observer import open_ended_items
from ...names import observer_abbr, observer_unavailable_row
from ...settings.experiments import JudgeSettings, ObserverSettings
from ..builder import RunContext, assemble, chat_infer_cfg, prepare
from ..plain import to_plain

__all__ = ["build", "observer_summarizer"]

_HERE = __package__  # llmp_opencompass.adapters.observer
_log = logging.getLogger(__name__)


def observer_summarizer(available: Sequence[str], unavailable: Sequence[str], judged: bool) -> dict:
    """Per-character rows (judge rating, else answer count), a mean when judged, unavailable rows last."""
    metric = "judge_rating" if judged else "n_answers"
    abbrs = [observer_abbr(s) for s in available]
    groups = [dict(name="llmp-observer-judge-mean", subsets=[(a, "judge_rating") for a in abbrs])] if judged else []
    rows: list = [("llmp-observer-judge-mean", "naive_average")] if judged else []
    rows += [(a, metric) for a in abbrs] + [observer_unavailable_row(s) for s in unavailable]
    return dict(dataset_abbrs=rows, summary_groups=groups)


def _evaluator(run: RunContext, judge: JudgeSettings | None) -> dict:
    config: dict = dict(type=f"{_HERE}.evaluator.ObserverEvaluator", **run.data)
    if judge is not None:
        config.update(judge=asdict(judge), connection=to_plain(run.settings.connection))
    return config


def _dataset(character: Character, run: RunContext, options: ObserverSettings) -> dict:
    return dict(
        type=f"{_HERE}.dataset.ObserverDataset",
        abbr=observer_abbr(character.slug),
        **run.data,
        character=character.name,
        open_ended_dir=str(options.open_ended_dir) if options.open_ended_dir else None,
        reader_cfg=dict(input_columns=["system", "item", "prompt"], output_column="reference"),
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
    datasets = {c: [_dataset(c, run, options)] for c in available}
    return assemble(run, datasets, summarizer, eval_calls_endpoint=options.judge is not None)
