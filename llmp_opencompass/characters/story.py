"""Grow a character's life story from the biography, one paragraph at a time (paper §3.1, script 5.4).

Each iteration scores every paragraph, takes the best one and has the model replace it
with a few paragraphs that tell the same part of the life in more depth.

Scoring (pure numpy over unit embeddings; the paper's weights)::

    score_i = 80 * importance_i + 100 * elaboration_i + 120 * redundancy_i

- ``importance_i = cos(p_i, summary)``. The paper embedded a summary of the whole story made
  by a book summariser we do not ship; the biography is that summary here, since it is the
  summary the story grew from.
- ``elaboration_i = cos(p_i, first sentence of p_i)``: high when the paragraph says little
  beyond its lead sentence, i.e. is not elaborated yet (the paper compared with a
  per-paragraph summary).
- ``redundancy_i = mean over j != i of (1 - cos(p_i, p_j))``: high when the paragraph's
  content is distinct (1.0 for a story of one paragraph).

The top score is taken (ties: the lowest index), not a random one of the top five as in
the original, and the run stops early when it is below ``threshold``.

Files (see :mod:`.layout`): ``story.txt`` holds the current story, one paragraph per line;
``story/iteration-NNN.txt`` the story after iteration NNN (000 is the start); ``story/state.json``
the progress; ``story-review.md`` one section per step, for a person to check. Every file is
written after each iteration (the review appended), so an interruption loses at most the
iteration under way. ``iterations`` is the *total* number of iterations: a rerun with a
larger number continues where the last one stopped. A ``story.txt`` edited by a person since
the last checkpoint is kept and expanded further; the review notes it.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from ..data.records import Character
from ..errors import ConfigError, DataError, MalformedDataFileError, MissingDataFileError
from ..files import write_text_atomic
from ..llm.types import ChatMessage, ChatModel, GenerationConfig, Usage
from ..progress import ProgressBar
from ..prompts import render
from ..retrieval.embedders import Embedder, normalize
from .biography import GenerationError, drop_cut_off, reply_paragraphs
from .layout import CharacterFolder

__all__ = [
    "GenerationError",
    "DEFAULT_EXPAND_CONFIG",
    "DEFAULT_THRESHOLD",
    "DEFAULT_WINDOW",
    "DEFAULT_MAX_CONTEXT_WORDS",
    "WEIGHTS",
    "NEW_PARAGRAPHS",
    "STATE_FILE",
    "ParagraphScore",
    "StoryExpansion",
    "StoryState",
    "StoryResult",
    "score_paragraphs",
    "choose_paragraph",
    "first_sentence",
    "biography_paragraphs",
    "story_context",
    "expand_paragraph",
    "expand_story",
    "read_state",
    "iteration_file",
]

DEFAULT_EXPAND_CONFIG = GenerationConfig(temperature=0.7, max_tokens=700, top_p=0.95)
"""Temperature 0.7 and the paper's top_p 0.95 (its frequency_penalty 1.0 has no equivalent here)."""
DEFAULT_THRESHOLD = 50.0
"""Stop when the best paragraph scores less (the paper's value)."""
DEFAULT_WINDOW = 5
"""Paragraphs shown on each side of the chosen one when the story is too long to send whole."""
DEFAULT_MAX_CONTEXT_WORDS = 6000
"""Longer stories are sent as a window around the chosen paragraph."""
WEIGHTS = (80.0, 100.0, 120.0)
"""Weights of importance, elaboration and redundancy (the paper's)."""
NEW_PARAGRAPHS = (2, 4)
"""How many paragraphs the model is asked to write in place of the chosen one."""
STATE_FILE = "state.json"


@dataclass(frozen=True)
class ParagraphScore:
    """How much one paragraph deserves expanding."""

    index: int
    """0-based position in the story."""
    importance: float
    """Cosine with the summary of the whole life (the biography)."""
    elaboration: float
    """Cosine with the paragraph's first sentence (high: not elaborated yet)."""
    redundancy: float
    """Mean cosine distance to the other paragraphs (high: distinct content)."""
    score: float
    """80 * importance + 100 * elaboration + 120 * redundancy."""


@dataclass(frozen=True)
class StoryExpansion:
    """What one iteration changed."""

    iteration: int
    """1-based iteration number."""
    chosen: ParagraphScore
    """The paragraph replaced, with its scores."""
    replaced: str
    """Its text."""
    added: tuple[str, ...]
    """The paragraphs put in its place."""
    paragraphs_before: int
    paragraphs_after: int
    words_before: int
    words_after: int


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


@dataclass(frozen=True)
class StoryResult:
    """Where the story stands after :func:`expand_story`."""

    completed: int
    """Iterations done in total, this run and earlier ones."""
    stopped_early: bool
    """The best score fell below the threshold before ``iterations`` was reached."""
    paragraphs: tuple[str, ...]
    """The story."""
    words: int
    """Its length in words."""
    steps: tuple[StoryExpansion, ...] = ()
    """The iterations done by this run."""
    usage: Usage = field(default_factory=Usage)
    """LLM usage of this run."""


# -- scoring ---------------------------------------------------------------------------------

_ABBREVIATION = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|St|Jr|Sr|vs|etc|e\.g|i\.e)|\b[A-Z])$")  # "Dr. Smith", "J. Smith"
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s+(?=[\"“'(\[]?[A-Z0-9])")


def first_sentence(paragraph: str) -> str:
    """The paragraph up to its first sentence end (the whole paragraph if it has one sentence)."""
    text = paragraph.strip()
    for match in _SENTENCE_END.finditer(text):
        head = text[: match.start()]
        if not _ABBREVIATION.search(head):
            return text[: match.end()].strip()
    return text


def score_paragraphs(paragraphs: Sequence[str], summary: str, embedder: Embedder) -> tuple[ParagraphScore, ...]:
    """The score of every paragraph, in story order (one ``embed`` call)."""
    n = len(paragraphs)
    if n == 0:
        raise ValueError("cannot score an empty story; it needs at least one paragraph")
    texts = [*paragraphs, *(first_sentence(p) for p in paragraphs), summary]
    vectors = normalize(np.asarray(embedder.embed(texts), dtype=np.float32)).astype(np.float64)
    if vectors.shape[0] != len(texts):
        raise ValueError(f"embedder {embedder.id} returned {vectors.shape[0]} vectors for {len(texts)} texts")
    story, leads, whole = vectors[:n], vectors[n : 2 * n], vectors[2 * n]
    importance = story @ whole
    elaboration = np.einsum("ij,ij->i", story, leads)
    similarity = story @ story.T
    distance = 1.0 - similarity
    np.fill_diagonal(distance, 0.0)
    redundancy = distance.sum(axis=1) / (n - 1) if n > 1 else np.ones(1)  # nothing to repeat in a 1-paragraph story
    w_imp, w_elab, w_red = WEIGHTS
    return tuple(
        ParagraphScore(
            index=i,
            importance=float(importance[i]),
            elaboration=float(elaboration[i]),
            redundancy=float(redundancy[i]),
            score=float(w_imp * importance[i] + w_elab * elaboration[i] + w_red * redundancy[i]),
        )
        for i in range(n)
    )


def choose_paragraph(scores: Sequence[ParagraphScore]) -> ParagraphScore:
    """The top score; on a tie, the lowest index."""
    if not scores:
        raise ValueError("no paragraph to choose from")
    return min(scores, key=lambda s: (-s.score, s.index))


# -- expansion -------------------------------------------------------------------------------


def biography_paragraphs(biography: str) -> tuple[str, ...]:
    """The biography's paragraphs (blank-line separated; inner line breaks become spaces)."""
    blocks = (" ".join(block.split()) for block in re.split(r"\n\s*\n", biography.strip()))
    return tuple(b for b in blocks if b)


def story_context(
    paragraphs: Sequence[str], index: int, *, window: int = DEFAULT_WINDOW, max_words: int = DEFAULT_MAX_CONTEXT_WORDS
) -> str:
    """The story as sent to the model, the chosen paragraph replaced by a marker.

    The whole story when it has at most ``max_words`` words; otherwise up to ``window``
    paragraphs on each side (fewer if even that is too long), with a note for each
    part left out.
    """
    marker = render("character_expand_marker")
    shown = [*paragraphs[:index], marker, *paragraphs[index + 1 :]]
    if _words(paragraphs) <= max_words:
        return "\n\n".join(shown)
    for side in range(max(window, 0), -1, -1):
        start, end = max(0, index - side), min(len(paragraphs), index + side + 1)
        if _words(paragraphs[start:end]) <= max_words or side == 0:
            break
    parts = list(shown[start:end])
    if start:
        parts.insert(0, render("character_expand_gap", count=start, side="earlier"))
    if end < len(paragraphs):
        parts.append(render("character_expand_gap", count=len(paragraphs) - end, side="later"))
    return "\n\n".join(parts)


def expand_paragraph(
    chat: ChatModel,
    character: Character,
    paragraphs: Sequence[str],
    index: int,
    *,
    config: GenerationConfig = DEFAULT_EXPAND_CONFIG,
    window: int = DEFAULT_WINDOW,
    max_context_words: int = DEFAULT_MAX_CONTEXT_WORDS,
) -> tuple[tuple[str, ...], Usage]:
    """The paragraphs the model writes in place of ``paragraphs[index]``, and the usage.

    Raises:
        GenerationError: the reply holds no whole paragraph (nothing is spliced in).
    """
    system = render(
        "character_expand", name=character.name, min_paragraphs=NEW_PARAGRAPHS[0], max_paragraphs=NEW_PARAGRAPHS[1]
    )
    user = render(
        "character_expand_input",
        basic_information=character.basic_information(),
        personality_traits="\n".join(f"- {t}" for t in character.traits),
        story=story_context(paragraphs, index, window=window, max_words=max_context_words),
        paragraph=paragraphs[index],
    )
    response = chat.complete((ChatMessage("system", system), ChatMessage("user", user)), config)
    what = f"the expansion of paragraph {index + 1} of {character.name}'s story"
    return drop_cut_off(reply_paragraphs(response.text), response, what=what), response.usage


def expand_story(
    folder: CharacterFolder,
    character: Character,
    chat: ChatModel,
    embedder: Embedder,
    *,
    iterations: int,
    threshold: float = DEFAULT_THRESHOLD,
    window: int = DEFAULT_WINDOW,
    max_context_words: int = DEFAULT_MAX_CONTEXT_WORDS,
    config: GenerationConfig | None = None,
    progress: bool = True,
) -> StoryResult:
    """Expand ``folder``'s story until ``iterations`` iterations are done in total (see the module docstring).

    Starts from the biography (``character.biography``) when ``story.txt`` does not exist.

    Raises:
        GenerationError: a reply was unusable; the iterations before it are kept.
        DataError: the folder's state belongs to another character or cannot be read.
    """
    if iterations < 0:
        raise ConfigError(f"iterations must be >= 0 (the total number of expansion steps), got {iterations}")
    config = config or DEFAULT_EXPAND_CONFIG
    run = _Run(folder, character, embedder, threshold, iterations)
    paragraphs, completed = run.open()
    stopped_early = False
    steps: list[StoryExpansion] = []
    usage = Usage()
    bar = ProgressBar(f"life story of {character.name}", total=iterations, completed=min(completed, iterations),
                      enabled=progress)  # fmt: skip
    with bar as advance:
        while completed < iterations:
            chosen = choose_paragraph(score_paragraphs(paragraphs, character.biography, embedder))
            if chosen.score < threshold:
                run.stop(completed, paragraphs, chosen)
                stopped_early = True
                break
            added, used = expand_paragraph(
                chat,
                character,
                paragraphs,
                chosen.index,
                config=config,
                window=window,
                max_context_words=max_context_words,
            )
            usage += used
            new = (*paragraphs[: chosen.index], *added, *paragraphs[chosen.index + 1 :])
            step = StoryExpansion(
                iteration=completed + 1,
                chosen=chosen,
                replaced=paragraphs[chosen.index],
                added=added,
                paragraphs_before=len(paragraphs),
                paragraphs_after=len(new),
                words_before=_words(paragraphs),
                words_after=_words(new),
            )
            run.commit(step, new)
            paragraphs, completed = new, completed + 1
            steps.append(step)
            advance()
    if not stopped_early:
        run.save_state(completed, paragraphs, stopped_early=False)
    return StoryResult(completed, stopped_early, paragraphs, _words(paragraphs), tuple(steps), usage)


# -- files -----------------------------------------------------------------------------------


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


class _Run:
    """The files of one :func:`expand_story` call."""

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
        paragraphs = _story_paragraphs(text)
        if not paragraphs:
            raise DataError(
                f"{folder.story} is empty: delete it and {folder.checkpoints} to start again from the biography"
            )
        if state is None:
            self._review(
                f"## Start\n\nStarting from the existing {folder.story.name}: "
                f"{len(paragraphs)} paragraphs, {_words(paragraphs)} words.\n"
            )
            self._write_checkpoint(0, paragraphs)
            self.save_state(0, paragraphs, stopped_early=False)
            return paragraphs, 0
        if _sha256(text) == state.story_sha256:
            return paragraphs, state.completed
        following = iteration_file(folder, state.completed + 1)
        if following.is_file() and _sha256(following.read_text(encoding="utf-8")) == _sha256(text):
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
            paragraphs = _story_paragraphs(checkpoint.read_text(encoding="utf-8"))
            self._review(f"## Restored\n\n{folder.story.name} was missing; restored it from {checkpoint.name}.\n")
            write_text_atomic(folder.story, _story_text(paragraphs))
            return paragraphs, state.completed
        paragraphs = biography_paragraphs(self.character.biography)
        if not paragraphs:
            raise DataError(f"the card of {name} has an empty Content: write the biography before the story")
        self._review(
            f"## Start\n\nStarting from the biography: {len(paragraphs)} paragraphs, {_words(paragraphs)} words.\n"
        )
        self._write_checkpoint(0, paragraphs)
        write_text_atomic(folder.story, _story_text(paragraphs))
        self.save_state(0, paragraphs, stopped_early=False)
        return paragraphs, 0

    def commit(self, step: StoryExpansion, paragraphs: Sequence[str]) -> None:
        """Record a finished iteration: checkpoint, review, story.txt, then the state."""
        self._write_checkpoint(step.iteration, paragraphs)
        self._review(_review_step(step))
        write_text_atomic(self.folder.story, _story_text(paragraphs))
        self.save_state(step.iteration, paragraphs, stopped_early=False)

    def stop(self, completed: int, paragraphs: Sequence[str], best: ParagraphScore) -> None:
        """Record that the best score fell below the threshold (in the review once per story and threshold)."""
        last = self.state
        noted = (
            last is not None
            and last.stopped_early
            and (last.completed, last.threshold, last.story_sha256)
            == (completed, self.threshold, _sha256(_story_text(paragraphs)))
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
            story_sha256=_sha256(_story_text(paragraphs)),
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
            f"{_words(paragraphs)} words). Continuing from the edited text.\n"
        )

    def _write_checkpoint(self, iteration: int, paragraphs: Sequence[str]) -> None:
        write_text_atomic(iteration_file(self.folder, iteration), _story_text(paragraphs))

    def _review(self, section: str) -> None:
        path = self.folder.review
        title = "" if path.is_file() else f"# Life story of {self.character.name}: expansion review\n\n"
        with path.open("a", encoding="utf-8") as out:
            out.write(title + section + "\n")


def _review_step(step: StoryExpansion) -> str:
    s = step.chosen
    w_imp, w_elab, w_red = WEIGHTS
    added = "\n>\n".join(f"> {p}" for p in step.added)
    return (
        f"## Iteration {step.iteration}\n\n"
        f"- Paragraph {s.index + 1} of {step.paragraphs_before}, score {s.score:.1f} = "
        f"{w_imp:g} × importance {s.importance:.3f} + {w_elab:g} × elaboration {s.elaboration:.3f} + "
        f"{w_red:g} × redundancy {s.redundancy:.3f}\n"
        f"- Paragraphs {step.paragraphs_before} → {step.paragraphs_after}; "
        f"words {step.words_before} → {step.words_after} ({step.words_after - step.words_before:+d})\n\n"
        f"Replaced:\n\n> {step.replaced}\n\n"
        f"With {len(step.added)} paragraph(s):\n\n{added}\n"
    )


def _checkpoint_paragraphs(folder: CharacterFolder, iteration: int) -> tuple[str, ...] | None:
    path = iteration_file(folder, iteration)
    return _story_paragraphs(path.read_text(encoding="utf-8")) if path.is_file() else None


def _story_paragraphs(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def _story_text(paragraphs: Sequence[str]) -> str:
    return "\n".join(paragraphs) + "\n"


def _words(paragraphs: Sequence[str]) -> int:
    return sum(len(p.split()) for p in paragraphs)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
