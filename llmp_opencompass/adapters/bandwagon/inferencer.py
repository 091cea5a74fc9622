"""``SessionInferencer``: OpenCompass's ``ChatInferencer`` in ``every`` mode, plus the session seed.

``ChatInferencer(infer_mode='every')`` already runs a session the way the experiment
needs: for every assistant turn of the row's conversation it asks the model for a
reply given everything before it, writes the reply into that turn, and goes on, so
the subject sees its own earlier answers. It works unchanged with ``SimulacrumModel``
(its template parser hands the model SYSTEM/HUMAN/BOT prompt lists). This subclass only

- passes each row's ``seed`` column to the model (``generate(..., seed=...)``), so
  repeated sessions at a temperature above 0 differ reproducibly;
- stores ``gold`` as None instead of a copy of the reply, and adds each turn's
  ``usage`` ({calls, prompt_tokens, completion_tokens, rounds}; None when the model
  reports none) to the prediction entry;
- saves every answered turn (:mod:`.progress`), so that ``-r`` after an interruption
  continues a half-finished session instead of starting it over: the saved turns are
  replayed without a call, and the predictions are those of an uninterrupted run;
- removes its progress file and the ``tmp_<dataset>.json`` file that ``ChatInferencer``
  leaves beside the predictions once they are written.

The prediction of a row is the list of the subject's replies, one per trial.
"""

from __future__ import annotations

from pathlib import Path

from opencompass.openicl.icl_inferencer import ChatInferencer
from opencompass.openicl.icl_prompt_template import PromptTemplate
from opencompass.openicl.icl_retriever import BaseRetriever
from opencompass.registry import ICL_INFERENCERS

from ...llm.types import DEFAULT_MAX_TOKENS
from .progress import SavedTurn, SessionProgress, fingerprint

__all__ = ["SessionInferencer"]


@ICL_INFERENCERS.register_module()
class SessionInferencer(ChatInferencer):
    """Runs every row's conversation turn by turn with the row's seed."""

    def __init__(self, model: object, max_out_len: int = DEFAULT_MAX_TOKENS, **kwargs: object) -> None:
        kwargs.pop("infer_mode", None)
        super().__init__(model=model, infer_mode="every", max_out_len=max_out_len, **kwargs)
        self._seeds: list[int] = []
        self._progress: SessionProgress | None = None

    def inference(
        self,
        retriever: BaseRetriever,
        ice_template: PromptTemplate | None = None,
        prompt_template: PromptTemplate | None = None,
        output_json_filepath: str | None = None,
        output_json_filename: str | None = None,
    ) -> dict:
        """Read the rows' seeds, then run the sessions."""
        test = retriever.test_ds
        self._seeds = [int(s) for s in test["seed"]] if "seed" in test.column_names else []
        directory = Path(output_json_filepath or self.output_json_filepath)
        name = output_json_filename or self.output_json_filename
        self._progress = SessionProgress(directory / f".{Path(name).stem}.turns.jsonl")
        results = super().inference(
            retriever,
            ice_template=ice_template,
            prompt_template=prompt_template,
            output_json_filepath=output_json_filepath,
            output_json_filename=output_json_filename,
        )
        directory = Path(output_json_filepath or self.output_json_filepath)
        name = output_json_filename or self.output_json_filename
        if self.is_main_process and (directory / name).is_file():
            (directory / f"tmp_{name}").unlink(missing_ok=True)
            self._progress.remove()
        return results

    def infer_every(self, chat: list[dict], index: int, output_handler: object) -> None:
        """Fill every assistant turn in order, each generated from the conversation before it;
        turns saved by an interrupted run of the same session are replayed, not asked again."""
        seed = {"seed": self._seeds[index]} if index < len(self._seeds) else {}
        session = fingerprint(self._model_identity(), chat, seed)
        saved = self._progress.saved(session) if self._progress else {}
        pop_usage = getattr(self.model, "pop_usage", None)
        usage = []
        for number, turn in enumerate(i for i, message in enumerate(chat) if message["role"] == "assistant"):
            history = chat[:turn]
            answered = saved.get(number) or self._ask(history, seed, pop_usage)
            if number not in saved and self._progress is not None:
                self._progress.add(session, number, answered)
            chat[turn]["content"] = answered.reply
            usage.append(answered.usage)
            output_handler.save_multiround_results(  # type: ignore[attr-defined]
                origin_prompt=history[-1]["content"], prediction=answered.reply, idx=index, gold=None
            )
        output_handler.results_dict[str(index)]["usage"] = usage if pop_usage is not None else None  # type: ignore[attr-defined]

    def _ask(self, history: list[dict], seed: dict, pop_usage: object) -> SavedTurn:
        reply = self.model.generate_from_template([history], max_out_len=self.max_out_len, **seed)[0]
        turn_usage = None
        if callable(pop_usage):
            turn_usage = pop_usage(self.model.template_parser.parse_template(history, mode="gen"))
        return SavedTurn(reply, turn_usage)

    def _model_identity(self) -> dict:
        """What makes the model's replies what they are (a saved turn of another model is not replayed)."""
        model = self.model
        endpoint, agents = getattr(model, "endpoint", None), getattr(model, "agent_endpoint", None)
        return {
            "max_out_len": self.max_out_len,
            **{name: repr(getattr(model, name, None)) for name in ("path", "method", "character", "temperature")},
            "options": repr(getattr(model, "options", None)),
            "endpoint": [getattr(endpoint, "model", None), getattr(endpoint, "base_url", None)],
            "agents": [getattr(agents, "model", None), getattr(agents, "base_url", None)],
        }
