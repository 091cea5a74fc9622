"""Memory construction's work queue over call stages: which calls are in flight at each moment.

A gated chat holds every call until the test releases it, so the tests see exactly which calls
the queue has in flight, with no timing involved.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

import pytest

from llmp_opencompass.data.records import Story
from llmp_opencompass.llm import ChatMessage, ChatResponse, GenerationConfig
from llmp_opencompass.prompts import render
from llmp_opencompass.simulacra.macm import build_memory, checkpoint_files
from llmp_opencompass.simulacra.macm.work_queue import Step, run_jobs
from tests.support.cards import CARD

STORY = Story("Mary Jones", tuple(f"Line {i}: Mary walks in the forest on day {i}." for i in range(1, 7)))
"""Six lines: three fragments, numbered by their first line (1, 3, 5)."""
_KINDS = {"macm_recollect": "R", "macm_feel_fragment": "F", "macm_reflect": "T", "macm_summarize": "S"}
_WAIT = 10.0


class Failed(RuntimeError):
    pass


class GatedChat:
    """Holds each call until released; a call is named by its kind (R recollection, F feelings,
    T thoughts, S summary) and its fragment's first line, e.g. ``R1``."""

    def __init__(self, fail: str | None = None) -> None:
        self.fail = fail
        self.calls: list[str] = []
        self.most_in_flight = 0
        self._waiting: dict[str, threading.Event] = {}
        self._cond = threading.Condition()

    def complete(self, messages: Sequence[ChatMessage], config: GenerationConfig) -> ChatResponse:
        name = _name(messages)
        gate = threading.Event()
        with self._cond:
            self._waiting[name] = gate
            self.calls.append(name)
            self.most_in_flight = max(self.most_in_flight, len(self._waiting))
            self._cond.notify_all()
        released = gate.wait(_WAIT)
        with self._cond:
            del self._waiting[name]
            self._cond.notify_all()
        if not released:
            raise TimeoutError(f"{name} was never released")
        if name == self.fail:
            raise Failed(name)
        return ChatResponse(f"reply {name}")

    def in_flight(self, count: int) -> set[str]:
        """The calls in flight once there are ``count`` of them."""
        with self._cond:
            assert self._cond.wait_for(lambda: len(self._waiting) == count, _WAIT), sorted(self._waiting)
            return set(self._waiting)

    def release(self, *names: str) -> None:
        """Let these calls answer, and wait until they have (the queue's next pick may still be on its
        way: release one call at a time where the next pick matters)."""
        for name in names:
            with self._cond:
                self._waiting[name].set()
                assert self._cond.wait_for(lambda n=name: n not in self._waiting, _WAIT)


def _name(messages: Sequence[ChatMessage]) -> str:
    kind = next(letter for prompt, letter in _KINDS.items() if render(prompt) in messages[0].content)
    text = messages[-1].content
    if kind in "RF":
        return f"{kind}{text.split(':')[0].removeprefix('Line ')}"
    return f"{kind}{text.split('reply R')[1][0]}"  # thoughts and summary read the recollection


def _build(chat: GatedChat, out: Path, workers: int) -> threading.Thread:
    errors: list[BaseException] = []

    def build() -> None:
        try:
            build_memory(chat, CARD, STORY, out, workers=workers, progress=False)
        except BaseException as exc:  # checked by the test through thread.errors
            errors.append(exc)

    thread = threading.Thread(target=build)
    thread.errors = errors  # type: ignore[attr-defined]
    thread.start()
    return thread


def test_a_fragments_independent_calls_are_in_flight_together(tmp_path: Path) -> None:
    chat = GatedChat()
    one = Story("Mary Jones", STORY.paragraphs[:2])
    thread = threading.Thread(target=build_memory, args=(chat, CARD, one, tmp_path), kwargs=dict(workers=2))
    thread.start()
    assert chat.in_flight(2) == {"R1", "F1"}  # the feelings do not wait for the recollection
    chat.release("R1")
    assert chat.in_flight(2) == {"F1", "T1"}  # the thoughts need only the recollection
    chat.release("F1")
    assert chat.in_flight(2) == {"T1", "S1"}  # the summary needs both
    chat.release("T1", "S1")
    thread.join(_WAIT)
    assert (tmp_path / "long_memory.json").is_file()


def test_free_slots_go_to_the_earliest_fragment_with_a_ready_call(tmp_path: Path) -> None:
    chat = GatedChat()
    thread = _build(chat, tmp_path, workers=4)
    assert chat.in_flight(4) == {"R1", "F1", "R3", "F3"}
    chat.release("R1")
    assert chat.in_flight(4) == {"F1", "R3", "F3", "T1"}  # fragment 1's thoughts before fragment 5
    chat.release("F1")
    assert chat.in_flight(4) == {"R3", "F3", "T1", "S1"}
    chat.release("T1")
    assert chat.in_flight(4) == {"R3", "F3", "S1", "R5"}  # no call of 1 or 3 is ready: the slot goes to 5
    chat.release("S1")
    assert chat.in_flight(4) == {"R3", "F3", "R5", "F5"}
    chat.release("R3")
    assert chat.in_flight(4) == {"F3", "R5", "F5", "T3"}
    chat.release("F3")
    assert chat.in_flight(4) == {"R5", "F5", "T3", "S3"}
    chat.release("R5")
    assert chat.in_flight(4) == {"F5", "T3", "S3", "T5"}
    chat.release("T3", "S3", "F5", "T5")
    assert chat.in_flight(1) == {"S5"}
    chat.release("S5")
    thread.join(_WAIT)
    assert not thread.errors and len(chat.calls) == 12 and chat.most_in_flight == 4  # type: ignore[attr-defined]


def test_after_a_failure_only_the_fragments_in_progress_finish(tmp_path: Path) -> None:
    chat = GatedChat(fail="R3")
    thread = _build(chat, tmp_path, workers=2)
    assert chat.in_flight(2) == {"R1", "F1"}
    chat.release("R1")
    assert chat.in_flight(2) == {"F1", "T1"}
    chat.release("F1")
    assert chat.in_flight(2) == {"T1", "S1"}
    chat.release("T1")
    assert chat.in_flight(2) == {"S1", "R3"}
    chat.release("R3")  # fails: fragment 3 is dropped (its feelings are never asked), 5 never starts
    assert chat.in_flight(1) == {"S1"}
    chat.release("S1")  # fragment 1 was in progress: it finishes and is checkpointed
    thread.join(_WAIT)
    assert [type(e) for e in thread.errors] == [Failed]  # type: ignore[attr-defined]
    assert sorted(chat.calls) == ["F1", "R1", "R3", "S1", "T1"]
    (checkpoint,) = checkpoint_files(tmp_path)
    assert len(checkpoint.read_text().splitlines()) == 1


def test_steps_must_name_known_needs() -> None:
    step = Step("summary", ("recollection",), lambda results: "")
    with pytest.raises(ValueError, match="known needs"):
        run_jobs([[step]], 1, lambda job, results: None)
