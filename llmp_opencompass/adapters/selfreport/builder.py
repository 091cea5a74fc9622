"""Config builder of the self-report run: ``configs/llmp_{blank,prompt,rag,macm,all}.py`` call :func:`build`.

One dataset per (character, question type), abbr ``llmp-<character_slug>-<type>``;
one ``SimulacrumModel`` per (method, character) (see :mod:`..builder`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ...data.records import SCORED_TYPES, Character, QuestionType
from ...names import selfreport_abbr
from ..builder import RunContext, assemble, chat_infer_cfg, prepare
from .summary import selfreport_summarizer

__all__ = ["build", "selfreport_dataset"]

_HERE = __package__  # llmp_opencompass.adapters.selfreport


def build(
    methods: str | Sequence[str],
    environ: Mapping[str, str] | None = None,
    endpoint: Mapping[str, str] | None = None,
) -> dict:
    """The self-report run: datasets, models, combinations, summarizer, infer and eval."""
    run = prepare(methods, environ, endpoint)
    per_character = {c: [selfreport_dataset(c, t, run) for t in SCORED_TYPES] for c in run.characters}
    return assemble(run, per_character, selfreport_summarizer([c.slug for c in run.characters], usage=True))


def selfreport_dataset(character: Character, qtype: QuestionType, run: RunContext) -> dict:
    """The dataset config of one (character, question type)."""
    return dict(
        type=f"{_HERE}.dataset.SelfReportDataset",
        abbr=selfreport_abbr(character.slug, qtype.slug),
        **run.data,
        character=character.name,
        question_type=qtype.value,
        shuffle=run.settings.shuffle,
        repeats=run.settings.repeats,
        reader_cfg=dict(input_columns=["system", "item", "prompt", "persona"], output_column="reference"),
        infer_cfg=chat_infer_cfg(run),
        eval_cfg=dict(evaluator=dict(type=f"{_HERE}.evaluator.SelfReportUsageEvaluator")),
    )
