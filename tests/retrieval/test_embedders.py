"""Embedders: the real offline MiniLM, an OpenAI-compatible endpoint (scripted), specs."""

from __future__ import annotations

import json

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
