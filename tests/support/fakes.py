"""Deterministic stand-ins for unit tests: a word-hashing embedder and a recording chat model."""

from __future__ import annotations

import hashlib
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from llmp_opencompass.llm import ChatMessage, ChatResponse, GenerationConfig, Usage
from llmp_opencompass.retrieval import normalize


class WordEmbedder:
    """Bag of words hashed into 256 dimensions: texts sharing words are similar."""

    id = "test-word-hash-256"

    def __init__(self) -> None:
        self.calls: list[int] = []

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.calls.append(len(texts))
        vectors = np.zeros((len(texts), 256), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"[a-z]+", text.lower()):
                vectors[row, int(hashlib.sha256(word.encode()).hexdigest(), 16) % 256] += 1.0
        return normalize(vectors)


@dataclass(frozen=True)
class Call:
    """One recorded chat call."""

    messages: tuple[ChatMessage, ...]
    config: GenerationConfig
    thread: str
    start: float
    end: float


class RecordingChat:
    """A ChatModel that answers with ``answer(messages)`` after ``delay`` seconds and records
    each call's thread and time window (thread-safe)."""

    def __init__(self, answer: Callable[[Sequence[ChatMessage]], str] | None = None, delay: float = 0.0) -> None:
        self.answer = answer or (lambda messages: "The answer is A.")
        self.delay = delay
        self.calls: list[Call] = []
        self._lock = threading.Lock()

    def complete(self, messages: Sequence[ChatMessage], config: GenerationConfig) -> ChatResponse:
        start = time.monotonic()
        time.sleep(self.delay)
        text = self.answer(messages)
        call = Call(tuple(messages), config, threading.current_thread().name, start, time.monotonic())
        with self._lock:
            self.calls.append(call)
        return ChatResponse(text, usage=Usage(calls=1, prompt_tokens=100, completion_tokens=10))
