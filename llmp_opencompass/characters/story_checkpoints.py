"""The files of a story expansion, so that it can stop and resume anywhere.

In the character folder (``data/layout.py``): ``story.txt`` holds the current story, one
paragraph per line; ``story/iteration-NNN.txt`` the story after iteration NNN (000 is the
start); ``story/state.json`` the progress; ``story-review.md`` one section per step
(:mod:`.story_review`). Every file is written after each iteration (the review appended),
so an interruption loses at most the iteration under way. A ``story.txt`` edited by a
person since the last checkpoint is kept and expanded further; the review notes it.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from ..data.layout import CharacterFolder
from ..data.records import Character
from ..errors import DataError, MalformedDataFileError, MissingDataFileError
from ..files import write_text_atomic
from ..retrieval.embedders import Embedder
from .story_format import biography_paragraphs, story_paragraphs, story_text, text_sha256, word_count
from .story_review import StoryExpansion, append_review, review_step
from .story_scoring import ParagraphScore

__all__ = ["STATE_FILE", "StoryRun", "StoryState", "iteration_file", "read_state"]

STATE_FILE = "state.json"


@dataclass(frozen=True)
class StoryState:
    """The content of ``story/state.json``."""

    character: str
    completed: int
    """Iterations done so far (the story is ``iteration-<completed>.txt``)."""
    target: int
    """The total asked for by the last run."""
    threshold: float
    stopped_early: bool
    """The last run stopped because the best score fell below the threshold."""
    story_sha256: str
    """SHA-256 of ``story.txt`` as last written here (another value means a person edited it)."""
    embedder: str = ""
    """``Embedder.id`` of the scores."""


def iteration_file(folder: CharacterFolder, iteration: int) -> Path:
    """``story/iteration-NNN.txt``: the story after ``iteration`` iterations."""
    return folder.checkpoints / f"iteration-{iteration:03d}.txt"


def read_state(folder: CharacterFolder) -> StoryState | None:
    """``story/state.json``, or None before the first run.

    Raises:
        MalformedDataFileError: the file cannot be read as a state.
    """
    path = folder.checkpoints / STATE_FILE
    if not path.is_file():
        return None
    try:
        return StoryState(**json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, TypeError) as exc:
        raise MalformedDataFileError(
            f"{path} is not a story state ({exc}); delete it to start the count again from the current story.txt"
        ) from exc


class StoryRun:
    """The files of one :func:`.story.expand_story` call."""

    def __init__(
        self, folder: CharacterFolder, character: Character, embedder: Embedder, threshold: float, target: int
    ) -> None:
        self.folder, self.character, self.embedder = folder, character, embedder
        self.threshold, self.target = threshold, target
        self.state: StoryState | None = None

    def open(self) -> tuple[tuple[str, ...], int]:
        """The story to continue from and the iterations done (restoring or starting it as needed)."""
        folder, name = self.folder, self.character.name
        folder.checkpoints.mkdir(parents=True, exist_ok=True)
        state = self.state = read_state(folder)
        if state is not None and state.character != name:
            raise DataError(
                f"{folder.checkpoints / STATE_FILE} belongs to {state.character!r}, not {name!r}: "
                f"use {name}'s own character folder, or delete {folder.checkpoints} to start over"
            )
        if not folder.story.is_file():
            return self._start_or_restore(state)
        text = folder.story.read_text(encoding="utf-8")
        paragraphs = story_paragraphs(text)
        if not paragraphs:
            raise DataError(
                f"{folder.story} is empty: delete it and {folder.checkpoints} to start again from the biography"
            )
        if state is None:
            self._review(
                f"## Start\n\nStarting from the existing {folder.story.name}: "
                f"{len(paragraphs)} paragraphs, {word_count(paragraphs)} words.\n"
            )
            self._write_checkpoint(0, paragraphs)
            self.save_state(0, paragraphs, stopped_early=False)
            return paragraphs, 0
        if text_sha256(text) == state.story_sha256:
            return paragraphs, state.completed
        following = iteration_file(folder, state.completed + 1)
        if following.is_file() and text_sha256(following.read_text(encoding="utf-8")) == text_sha256(text):
            # interrupted between writing story.txt and state.json: that iteration is complete
            self.save_state(state.completed + 1, paragraphs, stopped_early=False)
            return paragraphs, state.completed + 1
        self._note_edit(state, paragraphs)
        self.save_state(state.completed, paragraphs, stopped_early=False)
        return paragraphs, state.completed

    def _start_or_restore(self, state: StoryState | None) -> tuple[tuple[str, ...], int]:
        folder, name = self.folder, self.character.name
        if state is not None:
            checkpoint = iteration_file(folder, state.completed)
            if not checkpoint.is_file():
                raise MissingDataFileError(
                    f"{folder.story} and {checkpoint} are both missing, so {name}'s story "
                    f"cannot be restored; delete {folder.checkpoints} to start over from "
                    "the biography"
                )
            paragraphs = story_paragraphs(checkpoint.read_text(encoding="utf-8"))
            self._review(f"## Restored\n\n{folder.story.name} was missing; restored it from {checkpoint.name}.\n")
            write_text_atomic(folder.story, story_text(paragraphs))
            return paragraphs, state.completed
        paragraphs = biography_paragraphs(self.character.biography)
        if not paragraphs:
            raise DataError(f"the card of {name} has an empty Content: write the biography before the story")
        self._review(
            f"## Start\n\nStarting from the biography: {len(paragraphs)} paragraphs, {word_count(paragraphs)} words.\n"
        )
        self._write_checkpoint(0, paragraphs)
        write_text_atomic(folder.story, story_text(paragraphs))
        self.save_state(0, paragraphs, stopped_early=False)
        return paragraphs, 0

    def commit(self, step: StoryExpansion, paragraphs: Sequence[str]) -> None:
        """Record a finished iteration: checkpoint, review, story.txt, then the state."""
        self._write_checkpoint(step.iteration, paragraphs)
        self._review(review_step(step))
        write_text_atomic(self.folder.story, story_text(paragraphs))
        self.save_state(step.iteration, paragraphs, stopped_early=False)

    def stop(self, completed: int, paragraphs: Sequence[str], best: ParagraphScore) -> None:
        """Record that the best score fell below the threshold (in the review once per story and threshold)."""
        last = self.state
        noted = (
            last is not None
            and last.stopped_early
            and (last.completed, last.threshold, last.story_sha256)
            == (completed, self.threshold, text_sha256(story_text(paragraphs)))
        )
        if not noted:
            self._review(
                f"## Stopped before iteration {completed + 1}\n\nThe best paragraph ({best.index + 1}) "
                f"scores {best.score:.1f}, below the threshold {self.threshold:g}.\n"
            )
        self.save_state(completed, paragraphs, stopped_early=True)

    def save_state(self, completed: int, paragraphs: Sequence[str], *, stopped_early: bool) -> None:
        state = StoryState(
            character=self.character.name,
            completed=completed,
            target=self.target,
            threshold=self.threshold,
            stopped_early=stopped_early,
            story_sha256=text_sha256(story_text(paragraphs)),
            embedder=self.embedder.id,
        )
        if state != self.state:
            write_text_atomic(self.folder.checkpoints / STATE_FILE, json.dumps(asdict(state), indent=2) + "\n")
            self.state = state

    def _note_edit(self, state: StoryState, paragraphs: Sequence[str]) -> None:
        before = _checkpoint_paragraphs(self.folder, state.completed)
        changed = "an unknown number of"
        if before is not None:
            matcher = difflib.SequenceMatcher(a=before, b=paragraphs, autojunk=False)
            changed = str(sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"))
        self._review(
            f"## Edited by hand after iteration {state.completed}\n\n{self.folder.story.name} changed since "
            f"the last checkpoint ({changed} paragraphs differ; now {len(paragraphs)} paragraphs, "
            f"{word_count(paragraphs)} words). Continuing from the edited text.\n"
        )

    def _write_checkpoint(self, iteration: int, paragraphs: Sequence[str]) -> None:
        write_text_atomic(iteration_file(self.folder, iteration), story_text(paragraphs))

    def _review(self, section: str) -> None:
        append_review(self.folder, self.character.name, section)


def _checkpoint_paragraphs(folder: CharacterFolder, iteration: int) -> tuple[str, ...] | None:
    path = iteration_file(folder, iteration)
    return story_paragraphs(path.read_text(encoding="utf-8")) if path.is_file() else None
