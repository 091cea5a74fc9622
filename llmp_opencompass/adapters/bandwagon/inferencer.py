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
- removes the ``tmp_<dataset>.json`` progress file that ``ChatInferencer`` leaves
  beside the predictions once they are written.

The prediction of a row is the list of the subject's replies, one per trial.
"""

from __future__ import annotations

from pathlib import Path

from opencompass.openicl.icl_inferencer import ChatInferencer
from opencompass.openicl.icl_prompt_template import PromptTemplate
from opencompass.openicl.icl_retriever import BaseRetriever
from opencompass.registry import ICL_INFERENCERS

from ...llm.types import DEFAULT_MAX_TOKENS

__all__ = ["SessionInferencer"]


@ICL_INFERENCERS.register_module()
class SessionInferencer(ChatInferencer):
    """Runs every row's conversation turn by turn with the row's seed."""

    def __init__(self, model: object, max_out_len: int = DEFAULT_MAX_TOKENS, **kwargs: object) -> None:
        kwargs.pop("infer_mode", None)
        super().__init__(model=model, infer_mode="every", max_out_len=max_out_len, **kwargs)
        self._seeds: list[int] = []

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
        return results

    def infer_every(self, chat: list[dict], index: int, output_handler: object) -> None:
        """Fill every assistant turn in order, each generated from the conversation before it."""
        seed = {"seed": self._seeds[index]} if index < len(self._seeds) else {}
        pop_usage = getattr(self.model, "pop_usage", None)
        usage = []
        for turn in [i for i, message in enumerate(chat) if message["role"] == "assistant"]:
            history = chat[:turn]
            reply = self.model.generate_from_template([history], max_out_len=self.max_out_len, **seed)[0]
            chat[turn]["content"] = reply
            if pop_usage is not None:
                usage.append(pop_usage(self.model.template_parser.parse_template(history, mode="gen")))
            output_handler.save_multiround_results(  # type: ignore[attr-defined]
                origin_prompt=history[-1]["content"], prediction=reply, idx=index, gold=None
            )
        output_handler.results_dict[str(index)]["usage"] = usage if pop_usage is not None else None  # type: ignore[attr-defined]
