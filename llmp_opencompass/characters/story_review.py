"""``story-review.md``: what each step of a story expansion changed, for a person to check.

One section per step, appended as the step is done: the start, each iteration (the
paragraph replaced, its scores and what took its place), a restore, an edit by hand, an
early stop. The title is written with the first section.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..data.layout import CharacterFolder
from .story_scoring import WEIGHTS, ParagraphScore

__all__ = ["StoryExpansion", "append_review", "review_step"]


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


def review_step(step: StoryExpansion) -> str:
    """The section of one iteration."""
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


def append_review(folder: CharacterFolder, character: str, section: str) -> None:
    """Append ``section`` to ``folder``'s review (the title first when the file is new)."""
    path = folder.review
    title = "" if path.is_file() else f"# Life story of {character}: expansion review\n\n"
    with path.open("a", encoding="utf-8") as out:
        out.write(title + section + "\n")
