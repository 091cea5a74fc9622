"""Config builders: what ``configs/llmp_*.py`` call to get datasets, models and the summary.

A config cannot call a function it imports (mmengine parses such configs lazily),
so the configs reach :func:`build` through ``__import__``. Every ``type`` here is a
dotted path string: it survives OpenCompass's dump of the config and is resolved
in the task subprocesses without any registry.

Layout of a run: one dataset per (character, question type), abbr
``llmp-<character_slug>-<type>``; one model per (method, character), all models of
a method sharing the abbr ``<method>-<served model>`` so that the summary has one
column per method; ``model_dataset_combinations`` pairs each character's models
with that character's datasets only.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence

from ..data.locate import DataSettings, open_store
from ..data.records import SCORED_TYPES, Character, QuestionType
from ..data.store import HumanSimulacra
from ..simulacra import check_method
from .settings import RunSettings
from .summary import selfreport_summarizer

__all__ = ["build", "dataset_abbr", "model_abbr", "select_characters", "API_META_TEMPLATE"]

_OC = "opencompass"
API_META_TEMPLATE = dict(
    round=[dict(role="HUMAN", api_role="HUMAN"), dict(role="BOT", api_role="BOT", generate=True)],
    reserved_roles=[dict(role="SYSTEM", api_role="SYSTEM")],
)


def dataset_abbr(character: Character, qtype: QuestionType) -> str:
    """``llmp-mary_jones-cloze``."""
    return f"llmp-{character.slug}-{qtype.slug}"


def model_abbr(method: str, served_model: str) -> str:
    """``prompt-gpt-4o-mini``; characters unsafe in a path are replaced."""
    return f"{method}-{re.sub(r'[^A-Za-z0-9._-]+', '_', served_model)}"


def select_characters(store: HumanSimulacra, names: Sequence[str]) -> tuple[Character, ...]:
    """The requested characters (all when ``names`` is empty), in the requested order."""
    if not names:
        return store.characters()
    chosen: dict[str, Character] = {}
    for name in names:
        character = store.character(name)  # unknown names raise with the valid ones listed
        chosen.setdefault(character.name, character)
    return tuple(chosen.values())


def build(methods: str | Sequence[str], environ: Mapping[str, str] | None = None) -> dict:
    """Datasets, models, combinations, summarizer, infer and eval for the given methods."""
    env = os.environ if environ is None else environ
    methods = (methods,) if isinstance(methods, str) else tuple(methods)
    for method in methods:
        check_method(method)
    settings = RunSettings.from_environment(env)
    store = open_store(DataSettings.from_environment(env), progress=True)  # downloads at first use
    data = dict(data_dir=str(store.characters_dir), verify_data=store.verify)
    characters = select_characters(store, settings.characters)
    per_character = {c.name: [_dataset(c, t, data, settings) for t in SCORED_TYPES] for c in characters}
    combinations = [
        dict(models=[_model(m, c, data, settings) for m in methods], datasets=per_character[c.name])
        for c in characters
    ]
    return dict(
        datasets=[d for c in characters for d in per_character[c.name]],
        models=[m for comb in combinations for m in comb["models"]],
        model_dataset_combinations=combinations,
        summarizer=selfreport_summarizer([c.slug for c in characters]),
        infer=_stage("OpenICLInferTask", settings.task_workers),
        eval=_stage("OpenICLEvalTask", settings.task_workers),
    )


def _dataset(character: Character, qtype: QuestionType, data: dict, settings: RunSettings) -> dict:
    return dict(
        type="llmp_opencompass.adapters.dataset.SelfReportDataset",
        abbr=dataset_abbr(character, qtype),
        **data,
        character=character.name,
        question_type=qtype.value,
        shuffle=settings.shuffle,
        reader_cfg=dict(input_columns=["system", "prompt", "persona"], output_column="reference"),
        infer_cfg=dict(
            prompt_template=dict(
                type=f"{_OC}.openicl.icl_prompt_template.PromptTemplate",
                template=dict(
                    begin=[dict(role="SYSTEM", fallback_role="HUMAN", prompt="{system}")],
                    round=[dict(role="HUMAN", prompt="{prompt}"), dict(role="BOT", prompt="")],
                ),
            ),
            retriever=dict(type=f"{_OC}.openicl.icl_retriever.ZeroRetriever"),
            inferencer=dict(type=f"{_OC}.openicl.icl_inferencer.GenInferencer", max_out_len=settings.max_out_len),
        ),
        eval_cfg=dict(evaluator=dict(type="llmp_opencompass.adapters.evaluator.SelfReportEvaluator")),
    )


def _model(method: str, character: Character, data: dict, settings: RunSettings) -> dict:
    return dict(
        type="llmp_opencompass.adapters.model.SimulacrumModel",
        abbr=model_abbr(method, settings.model),
        path=settings.model,
        method=method,
        character=character.name,
        **data,
        openai_api_base=settings.base_url,
        api_key_env="OPENAI_API_KEY",
        temperature=settings.temperature,
        max_workers=settings.concurrency,
        meta_template=API_META_TEMPLATE,
        max_out_len=settings.max_out_len,
        batch_size=max(8, settings.concurrency),
        run_cfg=dict(num_gpus=0),
    )


def _stage(task: str, workers: int) -> dict:
    # One task per model with all its datasets: task start-up (importing
    # opencompass, about 6 s) dominates small runs.
    return dict(
        partitioner=dict(type=f"{_OC}.partitioners.NaivePartitioner", n=100),
        runner=dict(
            type=f"{_OC}.runners.LocalRunner",
            max_num_workers=workers,
            task=dict(type=f"{_OC}.tasks.{task}"),
        ),
    )
