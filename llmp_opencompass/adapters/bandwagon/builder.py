"""Config builder of the bandwagon (Asch conformity) run: ``configs/llmp_bandwagon.py`` calls :func:`build`.

Layout: one dataset per (character, condition), abbr ``llmp-bandwagon-<slug>-group`` /
``-control``, each row one session of 18 trials; one ``SimulacrumModel`` per (method,
character) with the method's abbr ``<method>-<served model>`` (as in the self-report),
paired with that character's two datasets through ``model_dataset_combinations``.

Its own variables, ``LLMP_METHODS`` and ``LLMP_BANDWAGON_SESSIONS``, are read by
:class:`~llmp_opencompass.settings.experiments.BandwagonSettings`.
``LLMP_TEMPERATURE`` (default 0) sets the sampling temperature. At temperature 0 a
session is deterministic, so more than one session would only repeat it: the builder
refuses ``LLMP_BANDWAGON_SESSIONS`` > 1 unless the temperature is above 0.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence

from ...data.records import Character
from ...errors import ConfigError
from ...experiments.bandwagon import CONDITIONS
from ...names import bandwagon_abbr
from ...settings.experiments import BandwagonSettings
from ..builder import RunContext, assemble, prepare
from .summary import bandwagon_summarizer

__all__ = ["build", "bandwagon_dataset"]

_OC = "opencompass"
_HERE = __package__  # llmp_opencompass.adapters.bandwagon


def build(methods: str | Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> dict:
    """Datasets, models, combinations, summarizer, infer and eval of the bandwagon run.

    Args:
        methods: the methods to run; None reads ``LLMP_METHODS`` (default: all).
        environ: the environment (default: ``os.environ``).
    """
    env = os.environ if environ is None else environ
    own = BandwagonSettings.from_environment(env)
    run = prepare(own.methods if methods is None else methods, env)
    if own.sessions > 1 and run.settings.temperature == 0:
        raise ConfigError(
            f"LLMP_BANDWAGON_SESSIONS={own.sessions} at LLMP_TEMPERATURE=0 would repeat one deterministic "
            "session; set LLMP_TEMPERATURE above 0 (e.g. 0.7) or use one session"
        )
    per_character = {
        c: [bandwagon_dataset(c, condition, own.sessions, run) for condition in CONDITIONS] for c in run.characters
    }
    return assemble(run, per_character, bandwagon_summarizer([c.slug for c in run.characters]))


def bandwagon_dataset(character: Character, condition: str, sessions: int, run: RunContext) -> dict:
    """The dataset config of one (character, condition)."""
    return dict(
        type=f"{_HERE}.dataset.BandwagonDataset",
        abbr=bandwagon_abbr(character.slug, condition),
        character=character.name,
        condition=condition,
        sessions=sessions,
        control_scene=run.settings.protocol.control_scene,
        reader_cfg=dict(input_columns=["chat"], output_column="reference"),
        infer_cfg=dict(
            # required by OpenCompass's infer task; the inferencer reads the ready-made `chat` column
            prompt_template=dict(type=f"{_OC}.openicl.icl_prompt_template.PromptTemplate", template="{chat}"),
            retriever=dict(type=f"{_OC}.openicl.icl_retriever.ZeroRetriever"),
            inferencer=dict(
                type=f"{_HERE}.inferencer.SessionInferencer", max_out_len=run.settings.max_out_len
            ),
        ),
        eval_cfg=dict(evaluator=dict(type=f"{_HERE}.evaluator.BandwagonEvaluator")),
    )
