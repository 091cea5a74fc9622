"""``BandwagonDataset``: the sessions of one (character, condition) as an OpenCompass dataset.

One row per session. Columns: ``chat`` (the conversation in OpenAI form: the scene as
a system message, then for every trial a user message followed by an empty
assistant message that the ``SessionInferencer`` fills with the subject's reply),
``seed`` (the session's sampling seed) and ``reference`` (JSON with the character,
condition, session, seed and trials, read by ``BandwagonEvaluator``).
"""

from __future__ import annotations

import json
from pathlib import Path

from datasets import Dataset
from opencompass.datasets.base import BaseDataset
from opencompass.registry import LOAD_DATASET

from ...experiments.bandwagon import Trial, check_condition, load_trials, scene_message, session_seed, trial_message

__all__ = ["BandwagonDataset", "session_chat"]


def session_chat(trials: tuple[Trial, ...], condition: str, control_scene: str = "alone") -> list[dict[str, str]]:
    """The conversation of a session with an empty assistant turn after every trial."""
    chat = [scene_message(condition, len(trials), control_scene).to_openai()]
    for trial in trials:
        chat.append(trial_message(trial, condition, len(trials)).to_openai())
        chat.append({"role": "assistant", "content": ""})
    return chat


@LOAD_DATASET.register_module()
class BandwagonDataset(BaseDataset):
    """``sessions`` sessions of ``character`` in ``condition`` (``group`` or ``control``)."""

    @staticmethod
    def load(  # type: ignore[override]
        character: str,
        condition: str,
        sessions: int = 1,
        trials_path: str | None = None,
        control_scene: str = "alone",
    ) -> Dataset:
        """One row per session; every session has its own seed (see ``session_seed``)."""
        check_condition(condition)
        if sessions < 1:
            raise ValueError(f"sessions must be at least 1, got {sessions}")
        trials = load_trials(Path(trials_path) if trials_path else None)
        chat = session_chat(trials, condition, control_scene)
        rows = []
        for index in range(sessions):
            seed = session_seed(character, condition, index)
            reference = {
                "character": character,
                "condition": condition,
                "session": index,
                "seed": seed,
                "trials": [t.to_dict() for t in trials],
            }
            rows.append({"chat": chat, "seed": seed, "reference": json.dumps(reference)})
        return Dataset.from_list(rows)
