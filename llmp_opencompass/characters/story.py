"""Grow a character's life story from the biography, one paragraph at a time (paper §3.1, script 5.4).

Each iteration scores every paragraph (:mod:`.story_scoring`), takes the best one and has
the model replace it with a few paragraphs that tell the same part of the life in more
depth. The run stops early when the best score is below ``threshold``.

The story, its checkpoints and the progress are files of the character folder
(:mod:`.story_checkpoints`); each step is described in ``story-review.md`` for a person to
check (:mod:`.story_review`). ``iterations`` is the *total* number of iterations: a rerun
with a larger number continues where the last one stopped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..data.layout import CharacterFolder
from ..data.records import Character
from ..errors import ConfigError
from ..llm.types import ChatMessage, ChatModel, GenerationConfig, Usage
from ..progress import ProgressBar
from ..prompts import render
from ..retrieval.embedders import Embedder
from .biography import GenerationError, drop_cut_off, reply_paragraphs
from .story_checkpoints import StoryRun
from .story_format import word_count
from .story_review import StoryExpansion
from .story_scoring import choose_paragraph, score_paragraphs

__all__ = [
    "GenerationError",
    "DEFAULT_EXPAND_CONFIG",
    "DEFAULT_THRESHOLD",
    "DEFAULT_WINDOW",
    "DEFAULT_MAX_CONTEXT_WORDS",
    "NEW_PARAGRAPHS",
    "StoryResult",
    "story_context",
    "expand_paragraph",
    "expand_story",
]

DEFAULT_EXPAND_CONFIG = GenerationConfig(temperature=0.7, max_tokens=700, top_p=0.95)
"""Temperature 0.7 and the paper's top_p 0.95 (its frequency_penalty 1.0 has no equivalent here)."""
DEFAULT_THRESHOLD = 50.0
"""Stop when the best paragraph scores less (the paper's value)."""
DEFAULT_WINDOW = 5
"""Paragraphs shown on each side of the chosen one when the story is too long to send whole."""
DEFAULT_MAX_CONTEXT_WORDS = 6000
"""Longer stories are sent as a window around the chosen paragraph."""
NEW_PARAGRAPHS = (2, 4)
"""How many paragraphs the model is asked to write in place of the chosen one."""


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
    if word_count(paragraphs) <= max_words:
        return "\n\n".join(shown)
    for side in range(max(window, 0), -1, -1):
        start, end = max(0, index - side), min(len(paragraphs), index + side + 1)
        if word_count(paragraphs[start:end]) <= max_words or side == 0:
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
    run = StoryRun(folder, character, embedder, threshold, iterations)
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
                words_before=word_count(paragraphs),
                words_after=word_count(new),
            )
            run.commit(step, new)
            paragraphs, completed = new, completed + 1
            steps.append(step)
            advance()
    if not stopped_early:
        run.save_state(completed, paragraphs, stopped_early=False)
    return StoryResult(completed, stopped_early, paragraphs, word_count(paragraphs), tuple(steps), usage)
