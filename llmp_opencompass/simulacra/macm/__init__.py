"""MACM, the Multi-Agent Cognitive Mechanism: agents, long-term memory and its construction."""

from .agents import EmotionAgent, SummaryAgent, ThinkingAgent, character_header
from .construction import CHECKPOINT_GLOB, BuildReport, build_memory, checkpoint_files, story_fragments
from .memory_files import INDEX_FILE, LONG_MEMORY_FILE, memory_key, read_memory_files, write_memory_files
from .retrieval import (
    EmbeddingMemoryRetriever,
    LlmMemoryRetriever,
    MemoryRetriever,
    Ranking,
    merge_rankings,
    page_entries,
    parse_memory_ids,
)
from .simulacrum import ROUNDS, MacmSimulacrum, compose_context

__all__ = [
    "CHECKPOINT_GLOB",
    "INDEX_FILE",
    "LONG_MEMORY_FILE",
    "ROUNDS",
    "BuildReport",
    "EmbeddingMemoryRetriever",
    "EmotionAgent",
    "LlmMemoryRetriever",
    "MacmSimulacrum",
    "MemoryRetriever",
    "Ranking",
    "SummaryAgent",
    "ThinkingAgent",
    "build_memory",
    "character_header",
    "checkpoint_files",
    "compose_context",
    "memory_key",
    "merge_rankings",
    "page_entries",
    "parse_memory_ids",
    "read_memory_files",
    "story_fragments",
    "write_memory_files",
]
