"""``LimitedChatModel``: a process-wide cap on calls in flight, shared by every model."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from llmp_opencompass.llm import ChatMessage, GenerationConfig, LimitedChatModel, shared_slots
from tests.support.fakes import RecordingChat


def _most_at_once(calls: list) -> int:
    edges = sorted([(c.start, 1) for c in calls] + [(c.end, -1) for c in calls])
    level = peak = 0
    for _, step in edges:
        level += step
        peak = max(peak, level)
    return peak


def test_models_sharing_slots_never_exceed_them_together() -> None:
    slots = shared_slots(3)
    assert shared_slots(3) is slots and shared_slots(2) is not slots
    inner_a, inner_b = RecordingChat(delay=0.05), RecordingChat(delay=0.05)
    models = [LimitedChatModel(inner_a, slots), LimitedChatModel(inner_b, slots)]
    with ThreadPoolExecutor(max_workers=12) as pool:
        list(pool.map(lambda i: models[i % 2].complete([ChatMessage("user", str(i))], GenerationConfig()), range(12)))
    calls = inner_a.calls + inner_b.calls
    assert len(calls) == 12 and _most_at_once(calls) == 3


def test_a_failing_call_gives_its_slot_back() -> None:
    slots = shared_slots(1)

    def fail(messages):  # type: ignore[no-untyped-def]
        raise RuntimeError("boom")

    model = LimitedChatModel(RecordingChat(answer=fail), slots)
    for _ in range(2):  # the second call would block forever if the slot had leaked
        with pytest.raises(RuntimeError, match="boom"):
            model.complete([ChatMessage("user", "x")], GenerationConfig())
    with pytest.raises(ValueError, match="at least 1"):
        shared_slots(0)
