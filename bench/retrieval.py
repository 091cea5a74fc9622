"""Retrieval benchmark (not a test): answer recall@k of the RAG retrievers and of MACM's embedding mode.

For every scored item of the 11 characters whose gold answer occurs in the life story
(:mod:`llmp_opencompass.experiments.selfreport.answers`), each retriever is asked with the
item's stimulus, the question and its displayed options, as the ``rag`` method asks it. A
retrieval is a hit when the retrieved passages contain a gold answer. Every chunk size
is paired with the largest ``k`` that keeps ``k x size`` within the budget of retrieved
characters (1,600 by default), so the rows compare retrievers at the same cost; the
table also prints the characters actually retrieved per question.

The last table measures MACM's ``embedding`` memory retrieval the same way: a hit when
one of the ``k`` selected memories (summary, recollection, thoughts or feelings) contains
a gold answer, over the items whose answer occurs in some memory.

    LLMP_DATA_DIR=../shared/human-simulacra .venv/bin/python bench/retrieval.py

Also the whole-message query of the package before it gave the stimulus (``--frame-query``).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from llmp_opencompass.data.records import SCORED_TYPES, Question
from llmp_opencompass.data.store import HumanSimulacra
from llmp_opencompass.experiments.selfreport.answers import gold_texts, holds_answer
from llmp_opencompass.experiments.selfreport.framing import frame_question
from llmp_opencompass.retrieval import RETRIEVERS, ChunkingConfig, MiniLMEmbedder, PassageSearch, split_text
from llmp_opencompass.settings.data import open_data
from llmp_opencompass.settings.locations import index_cache_dir

SIZES = (256, 320, 400, 512, 800, 1600)
OVERLAP = 32


@dataclass(frozen=True)
class Probe:
    """One item asked of one character's story."""

    character: str
    query: str
    golds: tuple[str, ...]
    frame: str
    """The whole framed user message (the query of the package before the stimulus)."""


def probes(store: HumanSimulacra, *, in_text: dict[str, str]) -> list[Probe]:
    """The items whose gold answer occurs in ``in_text[character]``."""
    found = []
    for character in store.characters():
        for qtype in SCORED_TYPES:
            for question in store.questions(character.name, qtype):
                golds = gold_texts(question)
                if holds_answer(in_text[character.name], golds):
                    found.append(_probe(question, golds))
    return found


def _probe(question: Question, golds: tuple[str, ...]) -> Probe:
    framed = frame_question(question)
    return Probe(question.character, framed.stimulus.query, golds, framed.user)


def rag_rows(store: HumanSimulacra, items: Sequence[Probe], args: argparse.Namespace) -> list[tuple]:
    embedder = MiniLMEmbedder()
    rows = []
    for size in SIZES:
        k = max(1, args.budget // size)
        chunking = ChunkingConfig(size, min(OVERLAP, size // 4))
        for retriever in RETRIEVERS:
            searches = {
                c.name: PassageSearch(split_text(store.story(c.name).text, chunking), embedder,
                                      cache_dir=args.cache_dir, params=chunking.id, retriever=retriever)  # type: ignore[arg-type]
                for c in store.characters()
            }  # fmt: skip
            started, hits, chars = time.monotonic(), 0, 0
            for item in items:
                passages = [h.text for h in searches[item.character].search(_query(item, args), k)]
                hits += holds_answer("\n".join(passages), item.golds)
                chars += sum(map(len, passages))
            took = time.monotonic() - started
            rows.append((retriever, size, k, hits / len(items), chars / len(items), took))
    return rows


def memory_rows(store: HumanSimulacra, args: argparse.Namespace) -> tuple[int, list[tuple]]:
    memories = {c.name: store.memory(c.name) for c in store.characters()}
    texts = {name: "\n".join(_memory_text(e) for e in m.entries) for name, m in memories.items()}
    items = probes(store, in_text=texts)
    embedder, rows = MiniLMEmbedder(), []
    for retriever in RETRIEVERS:
        searches = {
            name: PassageSearch([e.summary for e in m.entries], embedder, cache_dir=args.cache_dir,
                                params="macm-memory-summaries", retriever=retriever)  # type: ignore[arg-type]
            for name, m in memories.items()
        }  # fmt: skip
        hits = 0
        for item in items:
            entries = memories[item.character].entries
            chosen = [entries[h.position] for h in searches[item.character].search(_query(item, args), args.memory_k)]
            hits += holds_answer("\n".join(_memory_text(e) for e in chosen), item.golds)
        rows.append((retriever, args.memory_k, hits / len(items)))
    return len(items), rows


def _memory_text(entry: object) -> str:
    return "\n".join(getattr(entry, f) for f in ("summary", "content", "thinking", "emotion"))


def _query(item: Probe, args: argparse.Namespace) -> str:
    return item.frame if args.frame_query else item.query


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--budget", type=int, default=1600, help="retrieved characters per question (%(default)s)")
    parser.add_argument("--memory-k", type=int, default=2, help="MACM memories per question (%(default)s)")
    parser.add_argument("--cache-dir", type=Path, default=None, help="index cache (default: the package's)")
    parser.add_argument("--frame-query", action="store_true", help="query with the whole framed message")
    args = parser.parse_args(argv)
    args.cache_dir = args.cache_dir or index_cache_dir(os.environ)
    store = open_data(os.environ)
    items = probes(store, in_text={c.name: store.story(c.name).text for c in store.characters()})
    query = "the whole framed message" if args.frame_query else "the stimulus (question + displayed options)"
    print(f"RAG: answer recall@k over {len(items)} items whose answer occurs in the story; query: {query}; "
          f"budget {args.budget} characters")  # fmt: skip
    print("| retriever | chunk size | k | answer recall | retrieved characters per question | seconds |")
    print("|---|---|---|---|---|---|")
    for retriever, size, k, recall, chars, took in rag_rows(store, items, args):
        print(f"| {retriever} | {size} | {k} | {recall:.2f} | {chars:.0f} | {took:.1f} |")
    count, rows = memory_rows(store, args)
    print(f"\nMACM embedding mode: memory recall@{args.memory_k} over {count} items whose answer occurs in a memory")
    print("| retriever | memories | memory recall |")
    print("|---|---|---|")
    for retriever, k, recall in rows:
        print(f"| {retriever} | {k} | {recall:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
