"""The Jung cognitive-function test on OpenCompass: dataset, evaluator and config builder.

One dataset per character, abbr ``llmp-jung-<character_slug>``, holding all its items
(a seeded sample of the 640 statements, ``LLMP_JUNG_RATIO``); one model per (method,
character), abbr ``<method>-<served model>`` as in the self-report, paired through
``model_dataset_combinations``. The evaluator reports, per character:

- ``kendall_tau`` (main metric), ``spearman``: predicted scores vs true positions;
- ``top1_match``: 1 when the true dominant function alone scores highest;
- ``unparsed``, ``answered``, ``n_items``: reply counts;
- ``profile``: ``function_scores``, ``predicted_order`` and ``true_order``;
- ``details``: per item the reply, its parse, the statement's function, level and score.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence

from datasets import Dataset
from opencompass.datasets.base import BaseDataset
from opencompass.openicl.icl_evaluator import BaseEvaluator
from opencompass.registry import ICL_EVALUATORS, LOAD_DATASET

from ..data.records import Character
from ..data.traits import TraitStatement, load_traits
from ..errors import ConfigError
from ..experiments.jung import JungItem, jung_items, per_level_count, score_test, true_order
from ..prompts import render
from ..scoring.agreement import Agreement, parse_agreement
from ..simulacra.persona import persona_prompt
from .configs import RunContext, assemble, chat_infer_cfg, prepare
from .dataset import open_data
from .observer_settings import ObserverSettings

__all__ = ["JungDataset", "JungEvaluator", "build", "jung_abbr", "jung_summarizer", "MEAN_ROWS"]

MEAN_ROWS = {
    "llmp-jung-kendall_tau-mean": "kendall_tau",
    "llmp-jung-spearman-mean": "spearman",
    "llmp-jung-top1-mean": "top1_match",
}
"""Summary rows averaging a metric over the characters."""
UNPARSED_ROW = "llmp-jung-unparsed-total"


def jung_abbr(slug: str) -> str:
    """``llmp-jung-mary_jones``."""
    return f"llmp-jung-{slug}"


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
    ) -> Dataset:
        """Rows for ``character`` (``ratio`` of each level's statements, seeded): the scene
        (``system``), the statement question (``prompt``), the character card as a persona
        (``persona``, for the drop-in prompt variant) and the reference JSON.

        Without ``data_dir`` (the drop-in configs) the data is found as the environment says.
        """
        if not character:
            raise ConfigError("JungDataset needs character=<a character's name>, e.g. character='Mary Jones'")
        store = open_data(data_dir, verify_data, extra_characters)
        card = store.character(character)
        catalog = load_traits(store)
        order = true_order(card, catalog).order
        scene = render("selfreport_scene")
        persona = persona_prompt(card)
        rows = [
            {
                "system": scene,
                "prompt": render("jung_statement", statement=item.statement.text),
                "persona": persona,
                "reference": _reference(item, order),
            }
            for item in jung_items(catalog, card.name, ratio)
        ]
        return Dataset.from_list(rows)


@ICL_EVALUATORS.register_module()
class JungEvaluator(BaseEvaluator):
    """Parses yes/no replies, scores the functions and correlates them with the true order."""

    def score(self, predictions: list, references: list) -> dict:
        """The metrics listed in the module docstring."""
        if len(predictions) != len(references) or not references:
            raise ValueError(f"{len(predictions)} predictions for {len(references)} references")
        refs = [json.loads(r) for r in references]
        orders = {tuple(r["true_order"]) for r in refs}
        if len(orders) != 1:
            raise ValueError(f"references of one dataset disagree on the true order: {sorted(orders)}")
        answers = [(_item(r), parse_agreement(str(p))) for p, r in zip(predictions, refs, strict=True)]
        result = score_test(answers, orders.pop())
        details = [
            {"pred": str(p), "parsed": a.value, "function": i.statement.function, "level": i.statement.level,
             "statement": i.statement.text, "score_added": i.score if a is Agreement.YES else 0}
            for p, (i, a) in zip(predictions, answers, strict=True)
        ]  # fmt: skip
        return {
            "kendall_tau": result.kendall_tau,
            "spearman": result.spearman,
            "top1_match": result.top1_match,
            "unparsed": result.unparsed,
            "answered": result.answered,
            "n_items": len(answers),
            "profile": {
                "function_scores": result.function_scores,
                "predicted_order": list(result.predicted_order),
                "true_order": list(result.true_order),
            },
            "details": details,
        }

    def evaluate(self, k: int | list, n: int, original_dataset: Dataset, **score_kwargs: object) -> dict:
        """OpenCompass's evaluate, with ``profile`` kept a dict (it wraps non-numbers in a list)."""
        result = super().evaluate(k, n, original_dataset, **score_kwargs)
        if isinstance(result.get("profile"), list) and len(result["profile"]) == 1:
            result["profile"] = result["profile"][0]
        return result


def _item(reference: Mapping) -> JungItem:
    statement = TraitStatement(reference["function"], reference["level"], reference["number"], reference["statement"])
    return JungItem(reference["character"], statement)


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
        type="llmp_opencompass.adapters.jung.JungDataset",
        abbr=jung_abbr(character.slug),
        **run.data,
        character=character.name,
        ratio=ratio,
        reader_cfg=dict(input_columns=["system", "prompt"], output_column="reference"),
        infer_cfg=chat_infer_cfg(run),
        eval_cfg=dict(evaluator=dict(type="llmp_opencompass.adapters.jung.JungEvaluator")),
    )


def build(methods: str | Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> dict:
    """The Jung run: datasets, models, combinations, summarizer, infer and eval.

    ``methods`` defaults to ``LLMP_METHODS`` (else all methods); see :mod:`.observer_settings`.
    """
    env = os.environ if environ is None else environ
    chosen = (methods,) if isinstance(methods, str) else methods
    options = ObserverSettings.from_environment(env, chosen)
    per_level_count(options.jung_ratio)  # fail at parse time on a bad ratio
    run = prepare(options.methods, env)
    per_character = {c: [_dataset(c, run, options.jung_ratio)] for c in run.characters}
    return assemble(run, per_character, jung_summarizer([c.slug for c in run.characters]))
