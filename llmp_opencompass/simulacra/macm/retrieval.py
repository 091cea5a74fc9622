"""The memory agent's retrieval: which long-term memories a question brings back.

Two modes behind one interface. ``jobs(query)`` returns the independent pieces of
work (run concurrently by the simulacrum, in its first round) and ``select`` merges
their rankings into at most ``k`` memories:

- :class:`LlmMemoryRetriever` (``retrieval="llm"``, as in the paper): the summaries
  are cut into pages that fit a token budget; an LLM reads each page with the query
  and names the ids of the most relevant memories. Rankings of the pages are merged
  rank by rank (every page's best first), so no page is favoured.
- :class:`EmbeddingMemoryRetriever` (``retrieval="embedding"``): search of the query
  over the summaries with the configured retriever (dense, BM25 or hybrid); no LLM call.

The original asked for double-quoted ids only, lost their order in a ``set`` and kept
one memory; here ids are parsed leniently, order is kept, and ``k`` memories are kept.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import zip_longest
from pathlib import Path
from typing import Protocol

from ...data.records import LongTermMemory, MemoryEntry
from ...llm.types import ChatMessage, ChatModel, GenerationConfig, Usage
from ...prompts import render
from ...retrieval import DEFAULT_RETRIEVER, Embedder, PassageSearch, Retriever
from ..conversation import estimate_tokens

__all__ = [
    "Ranking",
    "MemoryRetriever",
    "LlmMemoryRetriever",
    "EmbeddingMemoryRetriever",
    "parse_memory_ids",
    "page_entries",
    "merge_rankings",
]

_NUMBER = re.compile(r"(?<![\w.])[\"'#]?(\d{1,6})[\"']?(?![\w])")


@dataclass(frozen=True)
class Ranking:
    """Memory ids in order of relevance, from one piece of retrieval work."""

    ids: tuple[str, ...]
    """Known memory keys, best first, without duplicates."""
    usage: Usage = field(default_factory=Usage)
    """LLM usage of the work (none for vector search)."""


class MemoryRetriever(Protocol):
    """Retrieval split into independent jobs and a merge."""

    def jobs(self, query: str, config: GenerationConfig) -> list[Callable[[], Ranking]]:
        """The pieces of work for ``query``; each may run in its own thread."""
        ...

    def select(self, rankings: Sequence[Ranking]) -> tuple[MemoryEntry, ...]:
        """The retained memories, most relevant first."""
        ...


def parse_memory_ids(reply: str, known: Sequence[str]) -> tuple[str, ...]:
    """Memory keys named in ``reply``, in order of appearance, unknown and repeated ones dropped.

    Accepts "012", '012', #12, 12 and 012 alike. When the reply pads some numbers to the
    keys' width (e.g. "I pick 2: 012, 047"), only those padded numbers count.
    """
    by_value = {int(key): key for key in known}
    width = max((len(key) for key in known), default=3)
    numbers = _NUMBER.findall(reply)
    padded = [n for n in numbers if len(n) == width]
    ids: list[str] = []
    for number in padded or numbers:
        key = by_value.get(int(number))
        if key is not None and key not in ids:
            ids.append(key)
    return tuple(ids)


def merge_rankings(rankings: Sequence[Sequence[str]], k: int) -> tuple[str, ...]:
    """Rank-by-rank merge (first of every ranking, then second, ...), duplicates dropped, top ``k``."""
    merged: list[str] = []
    for tier in zip_longest(*rankings):
        merged.extend(key for key in tier if key is not None and key not in merged)
    return tuple(merged[:k])


def _line(entry: MemoryEntry) -> str:
    return f"{entry.key}: {' '.join(entry.summary.split())}"


def page_entries(entries: Sequence[MemoryEntry], page_tokens: int) -> tuple[tuple[MemoryEntry, ...], ...]:
    """Consecutive pages of about equal size, as few as fit ``page_tokens`` each."""
    sizes = [estimate_tokens(_line(e)) + 1 for e in entries]
    total = sum(sizes)
    if not entries:
        return ()
    count = max(1, math.ceil(total / page_tokens))
    pages: list[list[MemoryEntry]] = [[] for _ in range(count)]
    done = 0
    for entry, size in zip(entries, sizes, strict=True):
        page = min(count - 1, int(done * count / total))  # page by the entry's starting offset
        pages[page].append(entry)
        done += size
    return tuple(tuple(p) for p in pages if p)


class LlmMemoryRetriever:
    """An LLM picks memory ids from pages of summaries (one call per page)."""

    def __init__(self, chat: ChatModel, memory: LongTermMemory, *, k: int, page_tokens: int) -> None:
        self.chat = chat
        self.memory = memory
        self.k = k
        self.pages = page_entries(memory.entries, page_tokens)

    def jobs(self, query: str, config: GenerationConfig) -> list[Callable[[], Ranking]]:
        """One job per page."""
        return [lambda page=page: self._ask(page, query, config) for page in self.pages]

    def select(self, rankings: Sequence[Ranking]) -> tuple[MemoryEntry, ...]:
        """Top ``k`` by merged rank."""
        return _entries(self.memory, merge_rankings([r.ids for r in rankings], self.k))

    def _ask(self, page: Sequence[MemoryEntry], query: str, config: GenerationConfig) -> Ranking:
        name = self.memory.character
        system = render("macm_retrieve", name=name, k=self.k)
        user = render("macm_retrieve_input", name=name, memories="\n".join(map(_line, page)), query=query)
        response = self.chat.complete([ChatMessage("system", system), ChatMessage("user", user)], config)
        return Ranking(parse_memory_ids(response.text, [e.key for e in page])[: self.k], response.usage)


class EmbeddingMemoryRetriever:
    """Search of the query over the summaries with the configured retriever (no LLM call)."""

    def __init__(
        self,
        memory: LongTermMemory,
        embedder: Embedder,
        *,
        k: int,
        cache_dir: Path | None = None,
        retriever: Retriever = DEFAULT_RETRIEVER,
    ) -> None:
        self.memory = memory
        self.k = k
        summaries = [e.summary for e in memory.entries]
        self.search = PassageSearch(
            summaries, embedder, cache_dir=cache_dir, params="macm-memory-summaries", retriever=retriever
        )

    def jobs(self, query: str, config: GenerationConfig) -> list[Callable[[], Ranking]]:
        """A single search job."""
        return [lambda: self._search(query)]

    def select(self, rankings: Sequence[Ranking]) -> tuple[MemoryEntry, ...]:
        """Top ``k`` by similarity."""
        return _entries(self.memory, merge_rankings([r.ids for r in rankings], self.k))

    def _search(self, query: str) -> Ranking:
        hits = self.search.search(query, self.k)
        return Ranking(tuple(self.memory.entries[hit.position].key for hit in hits))


def _entries(memory: LongTermMemory, keys: Sequence[str]) -> tuple[MemoryEntry, ...]:
    by_key = {e.key: e for e in memory.entries}
    return tuple(by_key[key] for key in keys if key in by_key)
