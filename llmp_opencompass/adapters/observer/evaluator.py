"""``ObserverEvaluator``: collects the Open-Ended answers and, optionally, has an LLM judge rate them.

Without a judge it reports ``n_answers`` (non-blank answers), ``n_empty`` and
``csv_path``, the rater CSV written beside the result file
(``results/<model>/llmp-observer-<slug>.csv``); there is no score. With a judge
(``judge=dict(model, base_url, api_key_env, max_tokens)``, from ``LLMP_JUDGE_*``; its calls
go through :func:`~llmp_opencompass.llm.connect` with the run's ``connection``: retries, call
cache and call limit, like every other call) it
adds ``judge_rating`` (mean 1-5 over the rated answers; NaN when none could be
rated), ``judge_rated``, ``judge_unrated`` and ``judge`` (model, base URL, template
name and SHA-256, max tokens, temperature); each detail has the rating and the
judge's reply. Blank answers and judge replies without a rating are unrated, never 0.
"""

from __future__ import annotations

import json
import math
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from datasets import Dataset
from opencompass.openicl.icl_evaluator import BaseEvaluator
from opencompass.registry import ICL_EVALUATORS

from ...data.records import Character
from ...data.store import HumanSimulacra
from ...experiments.observer import (
    JUDGE_TEMPLATE,
    JudgeVerdict,
    ObserverAnswer,
    judge_template_sha256,
    rate_answer,
    write_answers_csv,
)
from ...llm import ConnectOptions, Endpoint, GenerationConfig, connect
from ...llm.types import ChatModel
from ...settings.connection import for_this_process
from ..plain import from_plain

__all__ = ["ObserverEvaluator"]

_UNWRAP = ("csv_path", "judge")
_JUDGE_TEMPERATURE = 0.0
_JUDGE_WORKERS = 4


@ICL_EVALUATORS.register_module()
class ObserverEvaluator(BaseEvaluator):
    """See the module docstring; ``data_dir`` locates the character cards shown to the judge."""

    def __init__(
        self,
        data_dir: str,
        verify_data: bool = True,
        judge: dict | None = None,
        extra_characters: list[str] | None = None,
        connection: dict | None = None,
    ) -> None:
        super().__init__()
        self.connection = from_plain(ConnectOptions, connection, where="ObserverEvaluator option 'connection'")
        self.data_dir = data_dir
        self.verify_data = verify_data
        self.extra_characters = list(extra_characters or ())
        self.judge = judge

    def score(self, predictions: list, references: list) -> dict:
        """Answer counts and the CSV path, plus the judge's ratings when a judge is configured."""
        if len(predictions) != len(references) or not references:
            raise ValueError(f"{len(predictions)} predictions for {len(references)} references")
        refs = [json.loads(r) for r in references]
        answers = [str(p) for p in predictions]
        result: dict = {"n_answers": sum(1 for a in answers if a.strip())}
        result["n_empty"] = len(answers) - result["n_answers"]
        result["csv_path"] = self._write_csv(refs, answers)
        details = [
            {"pred": a, "character": r["character"], "item": r["number"]} for a, r in zip(answers, refs, strict=True)
        ]
        if self.judge:
            verdicts = self._rate(refs, answers)
            for detail, verdict in zip(details, verdicts, strict=True):
                detail.update(judge_rating=verdict.rating, judge_reply=verdict.reply)
            result = {**_judge_metrics(verdicts), **result, "judge": self._judge_record()}
        return {**result, "details": details}

    def evaluate(self, k: int | list, n: int, original_dataset: Dataset, **score_kwargs: object) -> dict:
        """OpenCompass's evaluate, keeping ``csv_path`` and ``judge`` as plain values (it wraps them in lists)."""
        result = super().evaluate(k, n, original_dataset, **score_kwargs)
        for key in _UNWRAP:
            if isinstance(result.get(key), list) and len(result[key]) == 1:
                result[key] = result[key][0]
        return result

    def _write_csv(self, refs: list[dict], answers: list[str]) -> str | None:
        out_dir = getattr(self, "_out_dir", None)  # results/<model>/<dataset>, set by OpenICLEvalTask
        if not out_dir:
            return None
        method = Path(out_dir).parent.name
        rows = [
            ObserverAnswer(r["character"], method, int(r["number"]), r["scenario"], a)
            for r, a in zip(refs, answers, strict=True)
        ]
        return str(write_answers_csv(rows, Path(f"{out_dir}.csv")))

    def _rate(self, refs: list[dict], answers: list[str]) -> list[JudgeVerdict]:
        store = HumanSimulacra(Path(self.data_dir), verify=self.verify_data, extra=self.extra_characters)
        chat = _judge_chat(self.judge or {}, self.connection)
        config = GenerationConfig(temperature=_JUDGE_TEMPERATURE, max_tokens=int((self.judge or {})["max_tokens"]))

        def rate(pair: tuple[dict, str]) -> JudgeVerdict:
            ref, answer = pair
            if not answer.strip():
                return JudgeVerdict(None, "")
            card: Character = store.character(ref["character"])
            return rate_answer(chat, card, ref["scenario"], answer, config)

        with ThreadPoolExecutor(max_workers=_JUDGE_WORKERS) as pool:
            return list(pool.map(rate, zip(refs, answers, strict=True)))

    def _judge_record(self) -> dict:
        judge = self.judge or {}
        return {
            "model": judge["model"],
            "base_url": judge["base_url"],
            "template": JUDGE_TEMPLATE,
            "template_sha256": judge_template_sha256(),
            "max_tokens": judge["max_tokens"],
            "temperature": _JUDGE_TEMPERATURE,
        }


def _judge_chat(judge: dict, connection: ConnectOptions) -> ChatModel:
    endpoint = Endpoint(model=judge["model"], base_url=judge["base_url"], api_key_env=judge["api_key_env"])
    return connect(endpoint, for_this_process(connection, os.environ))


def _judge_metrics(verdicts: list[JudgeVerdict]) -> dict:
    ratings = [v.rating for v in verdicts if v.rating is not None]
    return {
        "judge_rating": sum(ratings) / len(ratings) if ratings else math.nan,
        "judge_rated": len(ratings),
        "judge_unrated": len(verdicts) - len(ratings),
    }
