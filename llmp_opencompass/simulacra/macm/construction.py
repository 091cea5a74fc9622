"""Build a character's long-term memory from the life story, as the paper does.

The story is read two lines (paragraphs) at a time. For each fragment, four calls:
the thinking agent retells it as a first-person recollection and then gives the inner
thoughts of that moment, the emotion agent gives the feelings it stirs, and the memory
agent's summariser writes a one-sentence summary of recollection and feelings.

The calls go through a work queue over call stages (:mod:`.work_queue`): ``workers``
calls are in flight at once, taken from the earliest fragments whose calls are ready, so
a fragment's recollection and feelings run side by side, and the next fragments' calls
fill the slots while one waits for its recollection. Every finished fragment is appended
to a JSONL checkpoint in the output directory, tagged with a fingerprint of everything that
changes the result (card, fragment, model, generation settings, prompts), so an
interrupted build resumes without redoing finished fragments and a changed input
never reuses stale ones. The two upstream files are written atomically at the end,
and the checkpoint is then removed.

Each build process appends to a checkpoint file of its own
(``.memory-build.<host>-<pid>-<random>.jsonl``) and reads all of them, so a build resumed
on another node of a cluster (the output directory on a shared filesystem), or two builds
of one character at once, never write into the same file.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import socket
import threading
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from ...data.records import Character, LongTermMemory, MemoryEntry, Story
from ...llm.types import ChatModel, ChatResponse, GenerationConfig, Usage
from ...progress import ProgressBar
from ...prompts import template
from .agents import EmotionAgent, SummaryAgent, ThinkingAgent
from .memory_files import memory_key, write_memory_files
from .work_queue import Step, run_jobs

__all__ = ["BuildReport", "CHECKPOINT_GLOB", "build_memory", "checkpoint_files", "story_fragments",
           "DEFAULT_BUILD_CONFIG"]  # fmt: skip

CHECKPOINT_GLOB = ".memory-build*.jsonl"
DEFAULT_BUILD_CONFIG = GenerationConfig(temperature=0.0, max_tokens=256)
_PROMPTS = ("macm_header", "macm_recollect", "macm_reflect", "macm_feel_fragment", "macm_summarize",
            "macm_summarize_input")  # fmt: skip


@dataclass(frozen=True)
class BuildReport:
    """What a build produced."""

    memory: LongTermMemory
    """The memory, also written to the output directory."""
    reused: int
    """Fragments taken from the checkpoint of an earlier, interrupted build."""
    built: int
    """Fragments built by this run."""
    usage: Usage
    """LLM usage of this run."""


def story_fragments(story: Story, lines_per_fragment: int = 2) -> tuple[str, ...]:
    """The story's paragraphs, ``lines_per_fragment`` at a time."""
    lines = story.paragraphs
    return tuple("\n".join(lines[i : i + lines_per_fragment]) for i in range(0, len(lines), lines_per_fragment))


def build_memory(
    chat: ChatModel,
    character: Character,
    story: Story,
    out_dir: Path,
    *,
    config: GenerationConfig = DEFAULT_BUILD_CONFIG,
    workers: int = 4,
    model_id: str = "",
    progress: bool = True,
) -> BuildReport:
    """Build (or finish building) the memory into ``out_dir``; see the module docstring."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    fragments = story_fragments(story)
    tags = [_fingerprint(character, fragment, config, model_id) for fragment in fragments]
    checkpoint = _Checkpoint(out_dir)
    done = checkpoint.load()
    todo = [i for i, tag in enumerate(tags) if done.get(memory_key(i + 1), (None, ""))[1] != tag]
    builder = _FragmentBuilder(chat, character, config)
    bar = ProgressBar(f"memory of {character.name}", total=len(fragments), completed=len(fragments) - len(todo),
                      enabled=progress)  # fmt: skip
    with bar as advance:
        usage = _run(builder, fragments, tags, todo, checkpoint, workers, advance)
    entries = [checkpoint.entries[memory_key(i + 1)][0] for i in range(len(fragments))]
    memory = LongTermMemory(character=character.name, entries=tuple(entries))
    write_memory_files(out_dir, memory)
    checkpoint.remove()
    return BuildReport(memory, reused=len(fragments) - len(todo), built=len(todo), usage=usage)


def _run(
    builder: _FragmentBuilder,
    fragments: Sequence[str],
    tags: Sequence[str],
    todo: Sequence[int],
    checkpoint: _Checkpoint,
    workers: int,
    advance: Callable[[], None],
) -> Usage:
    total = Usage()
    lock = threading.Lock()

    def done(job: int, responses: dict[str, ChatResponse]) -> None:
        nonlocal total
        i = todo[job]
        checkpoint.add(builder.entry(memory_key(i + 1), responses), tags[i])
        with lock:
            total += sum((r.usage for r in responses.values()), Usage())
        advance()

    run_jobs([builder.steps(fragments[i]) for i in todo], workers, done)
    return total


class _FragmentBuilder:
    """The four calls of a fragment as steps: the recollection and the feelings read the
    fragment; the thoughts read the recollection; the summary reads both."""

    def __init__(self, chat: ChatModel, character: Character, config: GenerationConfig) -> None:
        self.thinking = ThinkingAgent(chat, character)
        self.emotion = EmotionAgent(chat, character)
        self.summary = SummaryAgent(chat, character)
        self.config = config

    def steps(self, fragment: str) -> list[Step[ChatResponse]]:
        config = self.config
        return [
            Step("recollection", (), lambda _: self.thinking.recollect(fragment, config)),
            Step("feelings", (), lambda _: self.emotion.feel(fragment, config)),
            Step("thoughts", ("recollection",), lambda r: self.thinking.reflect(r["recollection"].text, config)),
            Step(
                "summary",
                ("recollection", "feelings"),
                lambda r: self.summary.summarize(r["recollection"].text, r["feelings"].text, config),
            ),
        ]

    @staticmethod
    def entry(key: str, responses: dict[str, ChatResponse]) -> MemoryEntry:
        return MemoryEntry(
            key=key,
            summary=responses["summary"].text.strip(),
            content=responses["recollection"].text.strip(),
            thinking=responses["thoughts"].text.strip(),
            emotion=responses["feelings"].text.strip(),
        )


def _fingerprint(character: Character, fragment: str, config: GenerationConfig, model_id: str) -> str:
    payload = {
        "character": asdict(character),
        "fragment": fragment,
        "config": asdict(config),
        "model": model_id,
        "prompts": [template(name) for name in _PROMPTS],
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode("utf-8")).hexdigest()


def checkpoint_files(out_dir: Path) -> list[Path]:
    """The checkpoint files of an unfinished build in ``out_dir`` (one per build process)."""
    return sorted(Path(out_dir).glob(CHECKPOINT_GLOB))


class _Checkpoint:
    """Append-only JSONL of finished fragments, {"tag", "entry"} per line: read from every
    build's file, written to this process's own."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.path = out_dir / f".memory-build.{socket.gethostname()}-{os.getpid()}-{secrets.token_hex(4)}.jsonl"
        self.entries: dict[str, tuple[MemoryEntry, str]] = {}
        self._lock = threading.Lock()

    def load(self) -> dict[str, tuple[MemoryEntry, str]]:
        for path in checkpoint_files(self.out_dir):
            for line in path.read_text(encoding="utf-8").splitlines():
                try:
                    record = json.loads(line)
                    entry = MemoryEntry(**record["entry"])
                except (ValueError, TypeError, KeyError):
                    continue  # a line cut short by the interruption
                self.entries[entry.key] = (entry, str(record.get("tag", "")))
        return dict(self.entries)

    def add(self, entry: MemoryEntry, tag: str) -> None:
        line = json.dumps({"tag": tag, "entry": asdict(entry)}, ensure_ascii=False)
        with self._lock:
            with self.path.open("a", encoding="utf-8") as out:
                out.write(line + "\n")
            self.entries[entry.key] = (entry, tag)

    def remove(self) -> None:
        """Remove every checkpoint file (the build is complete)."""
        for path in checkpoint_files(self.out_dir):
            path.unlink(missing_ok=True)
