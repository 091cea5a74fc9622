"""``ConcurrentInferTask``'s pieces: how many pairs run at once, and how many answers a dataset asks."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from datasets import Dataset

from llmp_opencompass.adapters.infer_task import ConcurrentInferTask, expected_answers

pytestmark = pytest.mark.slow  # imports OpenCompass


def _parallel(connection: dict | None, cfg: dict | None = None) -> int:
    task = SimpleNamespace(model_cfgs=[{"connection": connection}], cfg=cfg or {})
    return ConcurrentInferTask.parallel.fget(task)  # type: ignore[attr-defined]


def test_pairs_at_once_follow_the_calls_the_endpoint_takes() -> None:
    assert _parallel({"concurrency": 4}) == 8
    assert _parallel({"concurrency": 4, "endpoint_slots": 1}) == 2  # the embedded server: one call at a time
    assert _parallel({"concurrency": 2, "endpoint_slots": 8}) == 4
    assert _parallel(None) == 8
    assert _parallel({"concurrency": 4}, {"parallel": 3}) == 3


def test_expected_answers_count_rows_or_assistant_turns() -> None:
    plain = SimpleNamespace(test=Dataset.from_list([{"prompt": "a"}, {"prompt": "b"}]))
    assert expected_answers(plain) == 2
    chat = [{"role": "system", "content": "s"}] + [{"role": r, "content": ""} for r in ("user", "assistant") * 3]
    sessions = SimpleNamespace(test=Dataset.from_list([{"chat": chat}, {"chat": chat}]))
    assert expected_answers(sessions) == 6
