"""Build a character's long-term memory from the life story, as the paper does.

The story is read two lines (paragraphs) at a time. For each fragment, four calls:
the thinking agent retells it as a first-person recollection and then gives the inner
thoughts of that moment, the emotion agent gives the feelings it stirs, and the memory
agent's summariser writes a one-sentence summary of recollection and feelings.

Fragments are processed concurrently. Every finished fragment is appended to a JSONL
checkpoint in the output directory, tagged with a fingerprint of everything that
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
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass
from pathlib import Path

from ...data.records import Character, LongTermMemory, MemoryEntry, Story
from ...llm.types import ChatModel, GenerationConfig, Usage
from ...progress import ProgressBar
from ...prompts import template
from .agents import EmotionAgent, SummaryAgent, ThinkingAgent
from .memory_files import memory_key, write_memory_files

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

    def work(i: int) -> None:
        nonlocal total
        entry, usage = builder.build(memory_key(i + 1), fragments[i])
        checkpoint.add(entry, tags[i])
        with lock:
            total += usage
        advance()

    with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="memory-build") as pool:
        futures = [pool.submit(work, i) for i in todo]
        try:
            finished, _ = wait(futures, return_when=FIRST_EXCEPTION)
        except BaseException:  # Ctrl-C: let running fragments finish (and be checkpointed), drop the rest
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        failed = [f for f in finished if f.exception() is not None]
        if failed:
            pool.shutdown(wait=True, cancel_futures=True)
            raise failed[0].exception()  # type: ignore[misc]
    return total


class _FragmentBuilder:
    def __init__(self, chat: ChatModel, character: Character, config: GenerationConfig) -> None:
        self.thinking = ThinkingAgent(chat, character)
        self.emotion = EmotionAgent(chat, character)
        self.summary = SummaryAgent(chat, character)
        self.config = config

    def build(self, key: str, fragment: str) -> tuple[MemoryEntry, Usage]:
        recollection = self.thinking.recollect(fragment, self.config)
        feelings = self.emotion.feel(fragment, self.config)
        thoughts = self.thinking.reflect(recollection.text, self.config)
        summary = self.summary.summarize(recollection.text, feelings.text, self.config)
        responses = (recollection, feelings, thoughts, summary)
        entry = MemoryEntry(
            key=key,
            summary=summary.text.strip(),
            content=recollection.text.strip(),
            thinking=thoughts.text.strip(),
            emotion=feelings.text.strip(),
        )
        return entry, sum((r.usage for r in responses), Usage())


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
