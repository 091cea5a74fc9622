"""Memory construction: four agent calls per two-line fragment, resumable after an interruption."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import pytest

from llmp_opencompass.data.records import Story
from llmp_opencompass.llm import ChatMessage, ChatResponse, GenerationConfig
from llmp_opencompass.simulacra.macm import build_memory, checkpoint_files, read_memory_files, story_fragments
from tests.support.cards import CARD
from tests.support.fakes import RecordingChat

STORY = Story("Mary Jones", tuple(f"Line {i}: Mary walks in the forest on day {i}." for i in range(1, 12)))


def _answer(messages: Sequence[ChatMessage]) -> str:
    """Deterministic: the reply depends only on the request (like a temperature-0 model)."""
    digest = hashlib.sha256(repr(messages).encode()).hexdigest()[:8]
    kind = "summary" if "You label memories" in messages[0].content else "text"
    return f"{kind} {digest}"


class Interrupted(RuntimeError):
    pass


class FailingAfter(RecordingChat):
    """Answers ``limit`` calls, then raises (an endpoint dying mid-build)."""

    def __init__(self, limit: int) -> None:
        super().__init__(_answer)
        self.limit = limit

    def complete(self, messages: Sequence[ChatMessage], config: GenerationConfig) -> ChatResponse:
        if len(self.calls) >= self.limit:
            raise Interrupted("endpoint went away")
        return super().complete(messages, config)


def test_fragments_are_two_story_lines() -> None:
    fragments = story_fragments(STORY)
    assert len(fragments) == 6 and fragments[0] == f"{STORY.paragraphs[0]}\n{STORY.paragraphs[1]}"
    assert fragments[-1] == STORY.paragraphs[-1]


def test_build_writes_upstream_files_with_four_calls_per_fragment(tmp_path: Path) -> None:
    chat = RecordingChat(_answer)
    report = build_memory(chat, CARD, STORY, tmp_path, workers=3, progress=False)
    assert len(chat.calls) == 4 * 6 and report.usage.calls == 24
    assert (report.built, report.reused) == (6, 0)
    memory = read_memory_files(tmp_path, "Mary Jones")
    assert memory == report.memory
    assert [e.key for e in memory.entries] == ["001", "002", "003", "004", "005", "006"]
    assert all(e.summary.startswith("summary ") for e in memory.entries)
    assert not checkpoint_files(tmp_path)
    first_fragment = [c for c in chat.calls if STORY.paragraphs[0] in c.messages[-1].content]
    assert len(first_fragment) == 2  # recollection and feelings read the fragment itself


@pytest.mark.parametrize("workers", [1, 3])
def test_interrupted_build_resumes_to_the_same_result(tmp_path: Path, workers: int) -> None:
    reference = build_memory(RecordingChat(_answer), CARD, STORY, tmp_path / "reference", progress=False)
    out = tmp_path / "resumed"
    failing = FailingAfter(limit=10)  # dies in the third fragment
    with pytest.raises(Interrupted):
        build_memory(failing, CARD, STORY, out, workers=workers, progress=False)
    (checkpoint,) = checkpoint_files(out)
    assert not (out / "index.json").exists()
    finished = len(checkpoint.read_text().splitlines())
    assert 1 <= finished < 6
    second = RecordingChat(_answer)
    report = build_memory(second, CARD, STORY, out, workers=workers, progress=False)
    assert (report.reused, report.built) == (finished, 6 - finished)
    assert len(second.calls) == 4 * (6 - finished)
    assert report.memory == reference.memory
    assert (out / "long_memory.json").read_bytes() == (tmp_path / "reference" / "long_memory.json").read_bytes()
    assert not checkpoint_files(out)


def test_changed_story_line_redoes_only_its_fragment(tmp_path: Path) -> None:
    failing = FailingAfter(limit=4 * 5)
    with pytest.raises(Interrupted):
        build_memory(failing, CARD, STORY, tmp_path, workers=1, progress=False)
    edited = Story("Mary Jones", ("An edited first line.", *STORY.paragraphs[1:]))
    chat = RecordingChat(_answer)
    report = build_memory(chat, CARD, edited, tmp_path, workers=1, progress=False)
    assert (report.reused, report.built) == (4, 2)  # fragment 1 changed, fragment 6 never built


def test_a_build_resumed_elsewhere_writes_its_own_checkpoint_and_reads_every_one(tmp_path: Path) -> None:
    """As on a cluster: a build killed on one node, resumed on another (same shared folder)."""
    with pytest.raises(Interrupted):
        build_memory(FailingAfter(limit=4 * 2), CARD, STORY, tmp_path, workers=1, progress=False)
    with pytest.raises(Interrupted):
        build_memory(FailingAfter(limit=4 * 2), CARD, STORY, tmp_path, workers=1, progress=False)
    assert len(checkpoint_files(tmp_path)) == 2  # one per build process, never a shared file
    chat = RecordingChat(_answer)
    report = build_memory(chat, CARD, STORY, tmp_path, workers=1, progress=False)
    assert (report.reused, report.built) == (4, 2) and len(chat.calls) == 4 * 2
    assert not checkpoint_files(tmp_path)
