"""Vector index: cosine top-k, content-addressed cache, atomic files."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from llmp_opencompass.retrieval import VectorIndex, index_key, load_or_build, normalize
from tests.support.fakes import WordEmbedder

PASSAGES = ("The dog barked at the mailman.", "Stocks fell sharply on Monday.", "A puppy chased the postman.")


def test_search_returns_the_closest_passages_best_first() -> None:
    embedder = WordEmbedder()
    index = load_or_build(PASSAGES, embedder, None)
    hits = index.search_text(embedder, "the dog and the mailman", 2)
    assert [h.position for h in hits] == [0, 2]
    assert hits[0].score > hits[1].score and hits[0].text == PASSAGES[0]


def test_search_k_larger_than_the_index_and_ties_keep_order() -> None:
    index = VectorIndex(("a", "b", "c"), normalize(np.ones((3, 4))))
    assert [h.position for h in index.search(np.ones(4) / 2, 10)] == [0, 1, 2]
    assert index.search(np.ones(4), 0) == ()


def test_cache_is_reused_across_processes_and_keyed_by_content(tmp_path: Path) -> None:
    first = WordEmbedder()
    index = load_or_build(PASSAGES, first, tmp_path, "chunks-512-32")
    (cached,) = tmp_path.glob("*.npz")
    assert cached.stem == index_key(PASSAGES, first.id, "chunks-512-32")
    again = WordEmbedder()
    loaded = load_or_build(PASSAGES, again, tmp_path, "chunks-512-32")
    assert again.calls == [] and np.array_equal(loaded.vectors, index.vectors) and loaded.passages == PASSAGES
    load_or_build(PASSAGES, again, tmp_path, "chunks-256-0")  # other params: another file
    load_or_build((*PASSAGES, "new"), again, tmp_path, "chunks-512-32")  # other text: another file
    assert len(list(tmp_path.glob("*.npz"))) == 3 and again.calls == [3, 4]
    assert not list(tmp_path.glob(".*")), "no temporary file left behind"


def test_corrupt_cache_is_rebuilt(tmp_path: Path) -> None:
    load_or_build(PASSAGES, WordEmbedder(), tmp_path)
    (cached,) = tmp_path.glob("*.npz")
    cached.write_bytes(b"not a numpy file")
    embedder = WordEmbedder()
    assert load_or_build(PASSAGES, embedder, tmp_path).passages == PASSAGES
    assert embedder.calls == [3]


def test_threads_wanting_the_same_index_embed_it_once(tmp_path: Path) -> None:
    import threading
    import time

    class SlowEmbedder(WordEmbedder):
        def embed(self, texts):  # type: ignore[no-untyped-def]
            time.sleep(0.2)  # long enough for every thread to ask before the first one is done
            return super().embed(texts)

    embedder = SlowEmbedder()
    passages = ["the sea at dawn", "a lighthouse keeper", "storms in winter"]
    results: list[VectorIndex] = []
    threads = [threading.Thread(target=lambda: results.append(load_or_build(passages, embedder, tmp_path)))
               for _ in range(3)]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert embedder.calls == [3] and len(results) == 3
    assert all(np.array_equal(r.vectors, results[0].vectors) for r in results)
