"""Scripted answerers for self-report runs (used behind ``ScriptedServer``).

``oracle_reply`` answers every item correctly: it recognises the character from the
persona ("You are <name>"), the item from its verbatim question text, reads the
displayed options from the prompt and answers with the letters of the gold options
(so it checks the shuffle and the remapping independently of the framing code).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from llmp_opencompass.data.records import SCORED_TYPES, Question, QuestionType
from llmp_opencompass.data.store import HumanSimulacra
from llmp_opencompass.llm import ChatMessage, GenerationConfig, cache_key
from llmp_opencompass.servers.scripted import Reply, ScriptedServer

_OPTION = re.compile(r"^([A-Z])\. (.*)$", re.MULTILINE)


def _messages(body: dict) -> tuple[str, str]:
    system = "\n".join(m["content"] for m in body["messages"] if m["role"] == "system")
    user = [m["content"] for m in body["messages"] if m["role"] == "user"][-1]
    return system, user


def _find_question(store: HumanSimulacra, system: str, user: str) -> Question:
    name = next(n for n in store.names() if f"You are {n}" in system)
    candidates = [q for t in SCORED_TYPES for q in store.questions(name, t) if q.text in user]
    return max(candidates, key=lambda q: len(q.text))


def oracle_answer(store: HumanSimulacra, system: str, user: str) -> str:
    """The correct answer to the item in ``user``, in the requested form."""
    question = _find_question(store, system, user)
    if question.type is QuestionType.CLOZE:
        return f"Let me think. The answer is {question.answer[0]}."
    displayed = {text: letter for letter, text in _OPTION.findall(user)}
    letters = sorted(displayed[question.options[i]] for i in question.gold_indices)
    return f"Easy one. The answer is {', '.join(letters)}."


def oracle_reply(store: HumanSimulacra) -> Callable[[dict], Reply]:
    """A ``ScriptedServer`` responder that answers every item correctly."""
    return lambda body: Reply(oracle_answer(store, *_messages(body)))


def useless_reply(body: dict) -> Reply:
    """A ``ScriptedServer`` responder that never says anything useful."""
    return Reply("Hmm, that is a hard one. I would rather talk about the weather today.")


def request_key(server: ScriptedServer, body: dict) -> str:
    """The call cache's key of a request the scripted server received (model "scripted")."""
    messages = [ChatMessage(m["role"], m["content"]) for m in body["messages"]]
    config = GenerationConfig(temperature=body["temperature"], max_tokens=body["max_tokens"])
    return cache_key(f"scripted@{server.base_url}", messages, config)
