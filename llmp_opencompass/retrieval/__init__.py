"""Retrieval: chunking, sentence embedders and a cached vector index (no OpenCompass import)."""

from .chunking import SEPARATORS, ChunkingConfig, split_text
from .embedders import MINILM, Embedder, MiniLMEmbedder, OpenAIEmbedder, build_embedder, normalize
from .index import Hit, VectorIndex, index_key, load_or_build
from .passages import StoryPassages
from .search import DEFAULT_RETRIEVER, RETRIEVERS, PassageSearch, Retriever

__all__ = [
    "DEFAULT_RETRIEVER",
    "RETRIEVERS",
    "Retriever",
    "MINILM",
    "SEPARATORS",
    "ChunkingConfig",
    "Embedder",
    "Hit",
    "MiniLMEmbedder",
    "OpenAIEmbedder",
    "PassageSearch",
    "StoryPassages",
    "VectorIndex",
    "build_embedder",
    "index_key",
    "load_or_build",
    "normalize",
    "split_text",
]
