"""``llmp-opencompass chat``: talk with a character's simulacrum in the terminal.

Reads one message per line from standard input (so a script can drive it too), prints
each reply on standard output as ``<Name>: <reply>``, and stops at ``/exit`` or at the
end of the input. The conversation is trimmed to fit the context window (see
:mod:`llmp_opencompass.simulacra.session`). Endpoint: ``OPENAI_BASE_URL``, ``LLMP_MODEL``
(and ``LLMP_AGENT_MODEL`` / ``LLMP_AGENT_BASE_URL`` for MACM's agents).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TextIO

from ..data.store import HumanSimulacra
from ..data.user_files import load_card, load_story
from ..errors import ConfigError
from ..llm import GenerationConfig, connect
from ..prompts import render
from ..retrieval import ChunkingConfig
from ..settings.connection import agent_endpoint, answer_endpoint, connect_options
from ..settings.data import open_data
from ..settings.locations import index_cache_dir
from ..simulacra import METHODS, RETRIEVALS, MethodOptions, build_simulacrum, needs, persona_prompt
from ..simulacra.conversation import estimate_tokens
from ..simulacra.macm import read_memory_files
from ..simulacra.session import ChatSession

__all__ = ["register", "run_chat", "EXIT_COMMAND"]

EXIT_COMMAND = "/exit"
_DEFAULTS = MethodOptions()
_MIN_HISTORY = 256


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``chat`` subcommand."""
    parser = subparsers.add_parser(
        "chat", help="chat with a character's simulacrum", description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip
    parser.add_argument("--character", required=True, help='character name, e.g. "Mary Jones"')
    parser.add_argument("--method", choices=METHODS, default="macm", help="simulacrum method (default: macm)")
    parser.add_argument("--memory", type=Path, help="MACM memory directory (default: the dataset's)")
    parser.add_argument("--card", type=Path, help="character card JSON, for a character not in the dataset")
    parser.add_argument("--story", type=Path, help="life story text file (RAG), for a character not in the dataset")
    parser.add_argument("--temperature", type=float, default=0.7, help="reply temperature (default 0.7)")
    parser.add_argument("--max-tokens", type=int, default=256, help="max tokens per reply (default 256)")
    parser.add_argument("--context-tokens", type=int, default=4096, help="model context window (default 4096)")
    parser.add_argument("--retrieval", choices=RETRIEVALS, default=_DEFAULTS.retrieval, help="MACM memory retrieval")
    parser.add_argument("--memory-k", type=int, default=_DEFAULTS.memory_k, help="MACM memories per reply")
    parser.add_argument("--rag-k", type=int, default=_DEFAULTS.rag_k, help="RAG passages per reply (%(default)s)")
    parser.add_argument("--no-cache", action="store_true", help="do not use the persistent LLM call cache")
    parser.set_defaults(func=_chat)


def _chat(args: argparse.Namespace) -> int:
    env = os.environ
    connection = connect_options(env, cache=not args.no_cache)
    answering = answer_endpoint(env)
    agents = agent_endpoint(env, answering)
    wanted = needs(args.method)
    store = None if args.card else open_data(env)
    character = load_card(args.card, args.character) if args.card else store.character(args.character)
    story = memory = None
    if "story" in wanted:
        story = load_story(args.story, character.name) if args.story else _store(store).story(character.name)
    if "memory" in wanted:
        memory = read_memory_files(args.memory, character.name) if args.memory else _store(store).memory(character.name)
    options = MethodOptions(
        rag_k=args.rag_k, chunking=ChunkingConfig(), retrieval=args.retrieval, memory_k=args.memory_k,
        index_cache_dir=index_cache_dir(env), embedding_base_url=answering.base_url,
    )  # fmt: skip
    chat = connect(answering, connection)
    simulacrum = build_simulacrum(
        args.method, chat, character,
        story=story, memory=memory, options=options,
        agent_chat=chat if agents == answering else connect(agents, connection),
    )  # fmt: skip
    config = GenerationConfig(temperature=args.temperature, max_tokens=args.max_tokens)
    budget = _history_budget(args, persona_prompt(character), options)
    session = ChatSession(simulacrum, render("chat_scene"), config, history_tokens=budget)
    return run_chat(session, character.name, sys.stdin, sys.stdout, sys.stderr)


def _store(store: HumanSimulacra | None) -> HumanSimulacra:
    if store is None:
        raise ConfigError("a character given by --card also needs --story (rag) or --memory (macm)")
    return store


def _history_budget(args: argparse.Namespace, persona: str, options: MethodOptions) -> int:
    """Context left for the history: window - reply - persona and scene - what the method adds."""
    added = {"rag": options.rag_k * options.chunking.size // 4, "macm": 1200}.get(args.method, 0)
    fixed = estimate_tokens(persona) + estimate_tokens(render("chat_scene")) + added
    return max(_MIN_HISTORY, args.context_tokens - args.max_tokens - fixed)


def run_chat(session: ChatSession, name: str, lines: TextIO, out: TextIO, prompt: TextIO) -> int:
    """The read-reply loop; prompts and notices go to ``prompt`` (stderr), replies to ``out``."""
    method = getattr(session.simulacrum, "method", "?")
    print(f"Chatting with {name} ({method}). Type {EXIT_COMMAND} to leave.", file=prompt, flush=True)
    while True:
        print("You: ", end="", file=prompt, flush=True)
        line = lines.readline()
        if not line or line.strip() == EXIT_COMMAND:
            break
        if not line.strip():
            continue
        reply = session.ask(line.strip())
        print(f"{name}: {' '.join(reply.text.split())}", file=out, flush=True)
    usage = session.usage
    print(f"\nBye. {usage.calls} calls, {usage.total_tokens} tokens.", file=prompt, flush=True)
    return 0
