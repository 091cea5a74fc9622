"""Life-story expansion: scoring, splicing, checkpoints, resuming, human edits and the review file."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from llmp_opencompass.characters.story import (
    DEFAULT_EXPAND_CONFIG,
    GenerationError,
    expand_story,
    story_context,
)
from llmp_opencompass.characters.story_checkpoints import STATE_FILE, iteration_file, read_state
from llmp_opencompass.characters.story_scoring import (
    ParagraphScore,
    choose_paragraph,
    first_sentence,
    score_paragraphs,
)
from llmp_opencompass.data.layout import CharacterFolder
from llmp_opencompass.data.records import Character
from llmp_opencompass.errors import DataError
from llmp_opencompass.llm import ChatMessage, ChatResponse, GenerationConfig
from llmp_opencompass.retrieval import normalize
from tests.support.fakes import RecordingChat, WordEmbedder

CHARACTER = Character(
    id="001",
    name="Mary Jones",
    basic_infos='""\nName: Mary Jones, Age: 29, Gender: female, Occupation: forestry worker.\n""\n',
    personality_traits="- I am a fan of extreme sports. - I like throwing parties. ",
    biography=(
        "Mary Jones was born in Denver in 1994. She grew up near the mountains with two brothers.\n\n"
        "At school she climbed every rock she could find. Her teachers worried about her.\n\n"
        "She studied forestry at the state university\nand loved the long field trips.\n\n"
        "Today Mary works as a forestry worker and plans to open a climbing school."
    ),
)


def _answer(messages: Sequence[ChatMessage]) -> str:
    """Deterministic: two new paragraphs that depend only on the paragraph to expand."""
    paragraph = messages[-1].content.rsplit("The paragraph to expand:\n", 1)[1]
    tag = "".join(chr(ord("a") + int(c, 16) % 26) for c in hashlib.sha256(paragraph.encode()).hexdigest()[:6])
    return f"Mary walked to {tag} lake one morning. The water was cold.\nLater {tag} friends joined her for dinner."


class Interrupted(RuntimeError):
    pass


class FailingOn(RecordingChat):
    """Raises on call number ``failing`` (1-based): an endpoint dying mid-run."""

    def __init__(self, failing: int) -> None:
        super().__init__(_answer)
        self.failing, self.seen = failing, 0

    def complete(self, messages: Sequence[ChatMessage], config: GenerationConfig) -> ChatResponse:
        self.seen += 1
        if self.seen == self.failing:
            raise Interrupted("endpoint went away")
        return super().complete(messages, config)


class TableEmbedder:
    """Fixed unit vectors per text (unknown texts get the last vector)."""

    id = "test-table"

    def __init__(self, table: dict[str, Sequence[float]], default: Sequence[float]) -> None:
        self.table, self.default = table, default

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        return normalize(np.array([self.table.get(t, self.default) for t in texts], dtype=np.float32))


def _expand(folder: Path, chat: RecordingChat, iterations: int, **kwargs: object):
    return expand_story(
        CharacterFolder(folder), CHARACTER, chat, WordEmbedder(), iterations=iterations, progress=False, **kwargs
    )


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


# -- scoring ---------------------------------------------------------------------------------


def test_scores_follow_the_papers_formula() -> None:
    a, b, c = "Alpha one. Alpha two.", "Beta.", "Gamma."
    embedder = TableEmbedder(
        {a: (1, 0, 0), "Alpha one.": (1, 1, 0), b: (0, 1, 0), c: (0, 0, 1), "summary": (1, 1, 1)}, default=(1, 0, 0)
    )
    scores = score_paragraphs([a, b, c], "summary", embedder)
    root2, root3 = np.sqrt(2), np.sqrt(3)
    assert [s.index for s in scores] == [0, 1, 2]
    assert scores[0].importance == pytest.approx(1 / root3)
    assert scores[0].elaboration == pytest.approx(1 / root2)
    assert scores[1].elaboration == pytest.approx(1.0)  # one sentence: its own first sentence
    assert all(s.redundancy == pytest.approx(1.0) for s in scores)  # orthogonal paragraphs
    assert scores[0].score == pytest.approx(80 / root3 + 100 / root2 + 120)
    assert choose_paragraph(scores).index == 1  # b and c tie: the lowest index wins


@pytest.mark.parametrize("n", [1, 2, 3])
def test_scoring_works_with_few_paragraphs(n: int) -> None:
    paragraphs = ["Mary climbs rocks.", "Mary plants trees. She likes pines.", "Mary throws parties."][:n]
    scores = score_paragraphs(paragraphs, CHARACTER.biography, WordEmbedder())
    assert len(scores) == n and 0 <= choose_paragraph(scores).index < n
    if n == 1:
        assert scores[0].redundancy == 1.0


def test_a_short_on_topic_distinct_paragraph_beats_a_long_redundant_one() -> None:
    paragraphs = [
        "Mary went to school in Denver. Mary went to school in Denver again. School in Denver was long. "
        "Mary and her brothers went to school in Denver every day.",
        "Mary and her brothers went to school in Denver.",
        "Mary Jones was born near the mountains and works as a forestry worker.",
    ]
    scores = score_paragraphs(paragraphs, CHARACTER.biography, WordEmbedder())
    assert choose_paragraph(scores).index == 2
    assert scores[2].elaboration == pytest.approx(1.0, abs=1e-5) and scores[0].elaboration < scores[2].elaboration
    assert scores[2].redundancy > scores[0].redundancy


def test_identical_paragraphs_tie_to_the_first() -> None:
    scores = score_paragraphs(["Same words here."] * 3, "Same words.", WordEmbedder())
    assert choose_paragraph(scores).index == 0
    assert choose_paragraph([ParagraphScore(1, 0, 0, 0, 5.0), ParagraphScore(0, 0, 0, 0, 5.0)]).index == 0


def test_first_sentence_skips_abbreviations() -> None:
    assert first_sentence("Dr. Smith met J. R. Jones. They talked.") == "Dr. Smith met J. R. Jones."
    assert first_sentence("One sentence only") == "One sentence only"
    assert first_sentence('"Go!" she said. Then left.') == '"Go!" she said.'


def test_story_context_marks_the_paragraph_and_windows_long_stories() -> None:
    paragraphs = [f"Paragraph {i} has exactly five words." for i in range(30)]
    whole = story_context(paragraphs, 10, window=2, max_words=1000)
    assert "Paragraph 10 " not in whole and whole.count("Paragraph") == 29 and "paragraph to expand" in whole
    windowed = story_context(paragraphs, 10, window=2, max_words=50)
    assert re.findall(r"Paragraph (\d+) ", windowed) == ["8", "9", "11", "12"]
    assert "8 earlier paragraph(s)" in windowed and "17 later paragraph(s)" in windowed
    assert story_context(paragraphs, 0, window=1, max_words=50).count("left out") == 1
    assert "Paragraph 9 " not in story_context(paragraphs, 10, window=5, max_words=12)  # window shrinks


# -- expansion -------------------------------------------------------------------------------


def test_one_iteration_splices_the_reply_and_writes_every_file(tmp_path: Path) -> None:
    chat = RecordingChat(_answer)
    result = _expand(tmp_path, chat, 1)
    folder = CharacterFolder(tmp_path)
    start = _lines(iteration_file(folder, 0))
    assert start[2] == "She studied forestry at the state university and loved the long field trips."
    (step,) = result.steps
    chosen = step.chosen.index
    reply = _answer(chat.calls[0].messages).splitlines()
    assert list(result.paragraphs) == start[:chosen] + reply + start[chosen + 1 :]
    assert _lines(folder.story) == list(result.paragraphs) == _lines(iteration_file(folder, 1))
    assert result.completed == 1 and not result.stopped_early and result.usage.calls == 1
    assert result.words == sum(len(p.split()) for p in result.paragraphs)

    (call,) = chat.calls
    assert call.config == DEFAULT_EXPAND_CONFIG and call.config.temperature == 0.7
    system, user = call.messages
    assert "Mary Jones" in system.content and "2 to 4 new paragraphs" in system.content
    assert "Occupation: forestry worker." in user.content and "- I like throwing parties." in user.content
    assert user.content.endswith("The paragraph to expand:\n" + start[chosen])
    assert user.content.count(start[chosen]) == 1  # marked in the story, not repeated

    state = json.loads((folder.checkpoints / STATE_FILE).read_text())
    assert state == {
        "character": "Mary Jones",
        "completed": 1,
        "target": 1,
        "threshold": 50.0,
        "stopped_early": False,
        "story_sha256": hashlib.sha256(folder.story.read_bytes()).hexdigest(),
        "embedder": WordEmbedder.id,
    }
    review = folder.review.read_text()
    assert review.startswith("# Life story of Mary Jones: expansion review")
    assert "## Start" in review and "## Iteration 1" in review
    assert f"Paragraph {chosen + 1} of 4, score {step.chosen.score:.1f}" in review
    assert f"> {start[chosen]}" in review and all(f"> {p}" in review for p in reply)
    assert f"words {step.words_before} → {step.words_after}" in review


def test_rerun_continues_to_the_total_and_matches_a_straight_run(tmp_path: Path) -> None:
    straight = _expand(tmp_path / "straight", RecordingChat(_answer), 3)
    _expand(tmp_path / "resumed", RecordingChat(_answer), 1)
    chat = RecordingChat(_answer)
    result = _expand(tmp_path / "resumed", chat, 3)
    assert len(chat.calls) == 2 and [s.iteration for s in result.steps] == [2, 3]
    assert result.paragraphs == straight.paragraphs and result.completed == 3
    folder = CharacterFolder(tmp_path / "resumed")
    assert sorted(p.name for p in folder.checkpoints.glob("iteration-*.txt")) == [
        f"iteration-{i:03d}.txt" for i in range(4)
    ]
    assert [s.iteration for s in result.steps] == [2, 3]
    assert re.findall(r"## Iteration (\d+)", folder.review.read_text()) == ["1", "2", "3"]
    state = read_state(folder)
    assert state is not None and (state.completed, state.target) == (3, 3)
    again = RecordingChat(_answer)
    assert _expand(tmp_path / "resumed", again, 3).completed == 3 and not again.calls


def test_interrupted_run_keeps_finished_iterations_and_a_rerun_completes(tmp_path: Path) -> None:
    straight = _expand(tmp_path / "straight", RecordingChat(_answer), 3)
    out = tmp_path / "interrupted"
    with pytest.raises(Interrupted):
        _expand(out, FailingOn(2), 3)
    folder = CharacterFolder(out)
    state = read_state(folder)
    assert state is not None and state.completed == 1
    assert folder.story.read_text() == iteration_file(folder, 1).read_text()
    assert not iteration_file(folder, 2).exists()
    chat = RecordingChat(_answer)
    result = _expand(out, chat, 3)
    assert len(chat.calls) == 2 and result.paragraphs == straight.paragraphs
    assert "Edited by hand" not in folder.review.read_text()


def test_crash_between_story_and_state_counts_the_iteration(tmp_path: Path) -> None:
    folder = CharacterFolder(tmp_path)
    _expand(tmp_path, RecordingChat(_answer), 1)
    state_after_one = (folder.checkpoints / STATE_FILE).read_text()
    _expand(tmp_path, RecordingChat(_answer), 2)
    (folder.checkpoints / STATE_FILE).write_text(state_after_one)  # story.txt written, state.json not
    chat = RecordingChat(_answer)
    result = _expand(tmp_path, chat, 2)
    assert result.completed == 2 and not chat.calls
    assert "Edited by hand" not in folder.review.read_text()


def test_a_human_edit_is_kept_and_noted(tmp_path: Path) -> None:
    folder = CharacterFolder(tmp_path)
    _expand(tmp_path, RecordingChat(_answer), 1)
    lines = _lines(folder.story)
    lines[-1] = "Mary also keeps bees on the roof of her cabin, which nobody expected."
    folder.story.write_text("\n".join(lines) + "\n")
    chat = RecordingChat(_answer)
    result = _expand(tmp_path, chat, 2)
    assert len(chat.calls) == 1 and result.completed == 2
    assert "keeps bees on the roof" in chat.calls[0].messages[-1].content
    assert any("keeps bees" in p for p in result.paragraphs) or "keeps bees" in result.steps[0].replaced
    review = folder.review.read_text()
    assert "## Edited by hand after iteration 1" in review and "1 paragraphs differ" in review
    assert review.index("Edited by hand") < review.index("## Iteration 2")
    assert _lines(iteration_file(folder, 1)) != lines  # the checkpoint still holds the model's version


def test_threshold_stops_early_without_calling_the_model(tmp_path: Path) -> None:
    chat = RecordingChat(_answer)
    result = _expand(tmp_path, chat, 5, threshold=1000.0)
    assert result.stopped_early and result.completed == 0 and not chat.calls
    folder = CharacterFolder(tmp_path)
    state = read_state(folder)
    assert state is not None and state.stopped_early and state.threshold == 1000.0
    _expand(tmp_path, chat, 5, threshold=1000.0)
    assert folder.review.read_text().count("## Stopped before iteration 1") == 1
    assert _expand(tmp_path, chat, 1).completed == 1  # a lower threshold goes on


def test_a_one_paragraph_story_expands(tmp_path: Path) -> None:
    (tmp_path / "story.txt").write_text("Mary Jones climbs rocks.\n")
    result = _expand(tmp_path, RecordingChat(_answer), 2)
    assert result.completed == 2 and len(result.paragraphs) == 3
    assert "existing story.txt" in CharacterFolder(tmp_path).review.read_text()


def test_an_empty_reply_splices_nothing(tmp_path: Path) -> None:
    with pytest.raises(GenerationError, match="expansion of paragraph"):
        _expand(tmp_path, RecordingChat(lambda m: "## Chapter Two\n\n"), 1)
    folder = CharacterFolder(tmp_path)
    assert folder.story.read_text() == iteration_file(folder, 0).read_text()
    assert not iteration_file(folder, 1).exists()


def test_a_folder_of_another_character_is_refused(tmp_path: Path) -> None:
    _expand(tmp_path, RecordingChat(_answer), 0)
    other = Character("002", "Sara Pie", CHARACTER.basic_infos, CHARACTER.personality_traits, CHARACTER.biography)
    with pytest.raises(DataError, match="belongs to 'Mary Jones', not 'Sara Pie'"):
        expand_story(CharacterFolder(tmp_path), other, RecordingChat(), WordEmbedder(), iterations=1, progress=False)


def test_a_deleted_story_is_restored_from_the_last_checkpoint(tmp_path: Path) -> None:
    folder = CharacterFolder(tmp_path)
    first = _expand(tmp_path, RecordingChat(_answer), 1)
    folder.story.unlink()
    chat = RecordingChat(_answer)
    result = _expand(tmp_path, chat, 1)
    assert result.paragraphs == first.paragraphs and not chat.calls and folder.story.is_file()
