"""``SelfReportRagDataset``: the self-report rows plus the retrieved story passages (drop-in RAG).

For models that are not ours (HF, vLLM, LMDeploy, API), the RAG simulacrum's retrieval
happens at dataset load time: a ``memories`` column holds, for each item, the ``k``
passages of the character's life story closest to the question with its options
(the same query, chunking, embedder and wording as the ``rag`` method; the config key
is ``rag_k`` because OpenCompass's ``BaseDataset`` takes ``k`` itself), and the
dataset config puts it into the SYSTEM round after the persona and the scene.

Retrieval results are cached on disk (:class:`~llmp_opencompass.retrieval.passages.StoryPassages`),
so the eval task and later runs reuse them without loading the embedding model. The
cache directory is ``index_cache_dir``, else ``LLMP_INDEX_CACHE_DIR``, else
``<cache base>/indexes`` (the RAG method's default, so story indexes are shared).
"""

from __future__ import annotations

import os
from pathlib import Path

from datasets import Dataset
from opencompass.registry import LOAD_DATASET

from ...llm.openai_chat import OPENAI_DEFAULT_URL
from ...prompts import render
from ...retrieval import MINILM, ChunkingConfig, build_embedder
from ...retrieval.passages import StoryPassages
from ...settings.locations import index_cache_dir as index_cache_dir_of
from ...simulacra.options import MethodOptions
from ..item import parse_item
from ..rows import text_rows_dataset
from .dataset import SelfReportDataset, open_data, selfreport_rows

__all__ = ["SelfReportRagDataset"]

_DEFAULTS = MethodOptions()
"""The RAG method's options: the same defaults as the ``rag`` simulacrum's."""


@LOAD_DATASET.register_module()
class SelfReportRagDataset(SelfReportDataset):
    """Self-report items of one character and type, with a ``memories`` column."""

    @staticmethod
    def load(  # type: ignore[override]
        character: str,
        question_type: str,
        data_dir: str | None = None,
        shuffle: bool = True,
        verify_data: bool = True,
        extra_characters: list[str] | None = None,
        rag_k: int = _DEFAULTS.rag_k,
        chunk_size: int = _DEFAULTS.chunking.size,
        chunk_overlap: int = _DEFAULTS.chunking.overlap,
        retriever: str = _DEFAULTS.retriever,
        embedder: str = MINILM,
        embedding_api_base: str | None = None,
        index_cache_dir: str | None = None,
    ) -> Dataset:
        """The ``SelfReportDataset`` rows plus ``memories`` (the rendered retrieved passages)."""
        store = open_data(data_dir, verify_data, extra_characters)
        rows = selfreport_rows(store, character, question_type, shuffle=shuffle)
        passages = StoryPassages(
            store.story(character).text,
            build_embedder(embedder, embedding_api_base or OPENAI_DEFAULT_URL),
            k=rag_k,
            chunking=ChunkingConfig(chunk_size, chunk_overlap),
            retriever=retriever,  # type: ignore[arg-type]  # checked by PassageSearch
            cache_dir=Path(index_cache_dir).expanduser() if index_cache_dir else index_cache_dir_of(os.environ),
        )
        for row in rows:
            query = parse_item(row["item"]).stimulus.query  # the question and its options
            row["memories"] = render("rag_memories", passages="\n\n".join(passages.passages(query)))
        return text_rows_dataset(rows)
