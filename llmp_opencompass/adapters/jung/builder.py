"""Config builder of the Jung cognitive-function test: ``configs/llmp_jung.py`` calls :func:`build`.

One dataset per character, abbr ``llmp-jung-<character_slug>``, holding all its items
(a seeded sample of the 640 statements, ``LLMP_JUNG_RATIO``); one model per (method,
character), abbr ``<method>-<served model>`` as in the self-report, paired through
``model_dataset_combinations``. Metrics: see :mod:`.evaluator`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence

from ...data.records import Character
from ...experiments.jung import per_level_count
from ...names import jung_abbr
from ...settings.experiments import ObserverSettings
from ..builder import RunContext, assemble, chat_infer_cfg, prepare

__all__ = ["build", "jung_summarizer", "MEAN_ROWS", "UNPARSED_ROW"]

_HERE = __package__  # llmp_opencompass.adapters.jung
MEAN_ROWS = {
    "llmp-jung-kendall_tau-mean": "kendall_tau",
    "llmp-jung-spearman-mean": "spearman",
    "llmp-jung-top1-mean": "top1_match",
}
"""Summary rows averaging a metric over the characters."""
UNPARSED_ROW = "llmp-jung-unparsed-total"


def jung_summarizer(slugs: Sequence[str]) -> dict:
    """Means over the characters, the unparsed total, then ``kendall_tau`` per character."""
    abbrs = [jung_abbr(s) for s in slugs]
    groups = [dict(name=row, subsets=[(a, metric) for a in abbrs]) for row, metric in MEAN_ROWS.items()]
    groups.append(dict(name=UNPARSED_ROW, subsets=[(a, "unparsed") for a in abbrs], metric="sum"))
    rows: list[tuple[str, str]] = [(row, "naive_average") for row in MEAN_ROWS]
    rows += [(UNPARSED_ROW, "sum")] + [(a, "kendall_tau") for a in abbrs]
    return dict(dataset_abbrs=rows, summary_groups=groups)


def _dataset(character: Character, run: RunContext, ratio: float) -> dict:
    return dict(
        type=f"{_HERE}.dataset.JungDataset",
        abbr=jung_abbr(character.slug),
        **run.data,
        character=character.name,
        ratio=ratio,
        thinking=run.settings.protocol.jung_thinking,
        reader_cfg=dict(input_columns=["system", "item", "prompt"], output_column="reference"),
        infer_cfg=chat_infer_cfg(run),
        eval_cfg=dict(evaluator=dict(type=f"{_HERE}.evaluator.JungEvaluator")),
    )


def build(methods: str | Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> dict:
    """The Jung run: datasets, models, combinations, summarizer, infer and eval.

    ``methods`` defaults to ``LLMP_METHODS`` (else all methods); see :mod:`llmp_opencompass.settings.experiments`.
    """
    env = os.environ if environ is None else environ
    chosen = (methods,) if isinstance(methods, str) else methods
    options = ObserverSettings.from_environment(env, chosen)
    per_level_count(options.jung_ratio)  # fail at parse time on a bad ratio
    run = prepare(options.methods, env)
    per_character = {c: [_dataset(c, run, options.jung_ratio)] for c in run.characters}
    return assemble(run, per_character, jung_summarizer([c.slug for c in run.characters]))
