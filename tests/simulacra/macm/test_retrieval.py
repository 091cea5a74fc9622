"""MACM memory retrieval: id parsing, paging, merging, both modes."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from llmp_opencompass.data.records import LongTermMemory, MemoryEntry
from llmp_opencompass.llm import ChatMessage, GenerationConfig
from llmp_opencompass.simulacra.conversation import estimate_tokens
from llmp_opencompass.simulacra.macm import (
    EmbeddingMemoryRetriever,
    LlmMemoryRetriever,
    merge_rankings,
    page_entries,
    parse_memory_ids,
)
from tests.support.fakes import RecordingChat, WordEmbedder

KNOWN = [f"{i:03d}" for i in range(1, 21)]


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ('"012", "003"', ("012", "003")),
        ("012, 003", ("012", "003")),
        ("'7' and '12'", ("007", "012")),
        ("#12 #3", ("012", "003")),
        ("1, 5, 1, 5", ("001", "005")),
        ("012, 099, 012, 020", ("012", "020")),  # unknown and repeated dropped
        ("I pick 2 memories: 012 and 004.", ("012", "004")),  # padded ids win over counts
        ("Memory 3 fits best, then 7.", ("003", "007")),
        ("none", ()),
        ("", ()),
    ],
)
def test_parse_memory_ids(reply: str, expected: tuple[str, ...]) -> None:
    assert parse_memory_ids(reply, KNOWN) == expected


def test_merge_rankings_takes_each_pages_best_first() -> None:
    assert merge_rankings([("001", "002"), ("010", "011")], 2) == ("001", "010")
    assert merge_rankings([("001", "002"), ("001", "011")], 3) == ("001", "002", "011")
    assert merge_rankings([(), ("005",)], 2) == ("005",)


def _memory(count: int, words: int = 30) -> LongTermMemory:
    entries = tuple(
        MemoryEntry(f"{i:03d}", f"Summary {i} " + "word " * words, f"content {i}", f"thinking {i}", f"emotion {i}")
        for i in range(1, count + 1)
    )
    return LongTermMemory("Mary Jones", entries)


def test_pages_are_balanced_consecutive_and_fit_the_budget() -> None:
    memory = _memory(77)
    assert len(page_entries(memory.entries, 4000)) == 1
    pages = page_entries(memory.entries, 2000)
    assert len(pages) == 2 and abs(len(pages[0]) - len(pages[1])) <= 1
    assert [e for page in pages for e in page] == list(memory.entries)
    for page in pages:
        assert sum(estimate_tokens(f"{e.key}: {e.summary}") for e in page) <= 2000
    assert page_entries((), 100) == ()


def test_real_sized_index_takes_two_pages_by_default(shared_data_dir: Path) -> None:
    from llmp_opencompass.data.store import HumanSimulacra

    store = HumanSimulacra(shared_data_dir)
    for character in store.characters():
        assert len(page_entries(store.memory(character.name).entries, 3000)) == 2, character.name


def test_llm_retriever_one_call_per_page_keeps_top_k() -> None:
    memory = _memory(40)

    def answer(messages: Sequence[ChatMessage]) -> str:
        page = messages[1].content
        return "012, 003, 005" if "012:" in page else '"031", "022"'

    chat = RecordingChat(answer)
    retriever = LlmMemoryRetriever(chat, memory, k=2, page_tokens=1000)
    jobs = retriever.jobs("Where did you grow up?", GenerationConfig())
    assert len(jobs) == len(retriever.pages) == 2
    rankings = [job() for job in jobs]
    assert [r.ids for r in rankings] == [("012", "003"), ("031", "022")]
    assert [e.key for e in retriever.select(rankings)] == ["012", "031"]
    assert all("Where did you grow up?" in c.messages[1].content for c in chat.calls)
    assert sum(r.usage.calls for r in rankings) == 2


def test_embedding_retriever_needs_no_llm_call() -> None:
    entries = (
        MemoryEntry("001", "Mary learns to climb rocks with her father.", "c1", "t1", "e1"),
        MemoryEntry("002", "Mary starts work as a forestry worker planting trees.", "c2", "t2", "e2"),
        MemoryEntry("003", "Mary adopts a dog named Rex.", "c3", "t3", "e3"),
    )
    retriever = EmbeddingMemoryRetriever(LongTermMemory("Mary Jones", entries), WordEmbedder(), k=2)
    (job,) = retriever.jobs("Which work do you do with trees in the forest?", GenerationConfig())
    ranking = job()
    assert ranking.usage.calls == 0 and ranking.ids[0] == "002"
    assert [e.key for e in retriever.select([ranking])] == list(ranking.ids)
