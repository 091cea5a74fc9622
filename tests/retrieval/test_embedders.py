"""Embedders: the real offline MiniLM, an OpenAI-compatible endpoint (scripted), specs."""

from __future__ import annotations

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from llmp_opencompass.errors import ConfigError
from llmp_opencompass.retrieval import MiniLMEmbedder, OpenAIEmbedder, build_embedder
from llmp_opencompass.servers.scripted import Reply, ScriptedServer


def test_minilm_embeds_offline_with_unit_vectors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    vectors = MiniLMEmbedder().embed(["The cat sat on the mat.", "A feline rested on a rug.", "Stock prices fell."])
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.2


def test_threads_asking_at_once_load_minilm_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A task's datasets embed from several threads; two loading the model at once broke
    transformers' loading ("Cannot copy out of meta tensor"). The real model, loads counted."""
    import sentence_transformers

    from llmp_opencompass.retrieval import embedders

    real = sentence_transformers.SentenceTransformer
    loading, loads, overlapped = [0], [0], [False]
    guard = threading.Lock()

    def counted(*args, **kwargs):
        with guard:
            loading[0] += 1
            loads[0] += 1
            overlapped[0] |= loading[0] > 1
        time.sleep(0.2)  # widen the window another thread would load in
        try:
            return real(*args, **kwargs)
        finally:
            with guard:
                loading[0] -= 1

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(sentence_transformers, "SentenceTransformer", counted)
    embedders._minilm.cache_clear()
    try:
        with ThreadPoolExecutor(4) as pool:
            vectors = list(pool.map(lambda _: MiniLMEmbedder().embed(["The cat sat on the mat."]), range(4)))
    finally:
        embedders._minilm.cache_clear()  # the next caller loads the unwrapped model
    assert loads[0] == 1 and not overlapped[0]
    assert all(np.allclose(v, vectors[0]) for v in vectors)


def _embeddings(body: dict) -> Reply:
    data = [{"object": "embedding", "index": i, "embedding": [float(len(t)), 0.0, 3.0]}
            for i, t in enumerate(body["input"])][::-1]  # fmt: skip  (out of order on purpose)
    payload = {"object": "list", "data": data, "model": body["model"], "usage": {"prompt_tokens": 1, "total_tokens": 1}}
    return Reply(raw_body=json.dumps(payload).encode())


def test_scripted_server_openai_embedder_batches_orders_and_normalises() -> None:
    with ScriptedServer(_embeddings) as server:
        embedder = OpenAIEmbedder("embed-small", server.base_url, batch_size=2)
        vectors = embedder.embed(["abcd", "a", "abcdefgh"])
    assert [len(r["input"]) for r in server.requests] == [2, 1]
    assert np.allclose(vectors[0], np.array([4, 0, 3]) / 5)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0)
    assert embedder.id == f"openai:embed-small@{server.base_url}"


def test_embedder_specs() -> None:
    assert isinstance(build_embedder("minilm"), MiniLMEmbedder)
    assert build_embedder("openai:text-embedding-3-small", "http://h/v1").id == "openai:text-embedding-3-small@http://h/v1"
    with pytest.raises(ConfigError, match="unknown embedder 'glove'"):
        build_embedder("glove")
