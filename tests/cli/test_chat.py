"""Chat session: history kept within the budget, oldest exchanges dropped first; the REPL loop."""

from __future__ import annotations

import io

from llmp_opencompass.cli.chat import run_chat
from llmp_opencompass.llm import ChatMessage, GenerationConfig
from llmp_opencompass.simulacra import build_simulacrum
from llmp_opencompass.simulacra.session import ChatSession, trim_history
from tests.support.cards import CARD
from tests.support.fakes import RecordingChat


def _turns(count: int, size: int) -> list[ChatMessage]:
    return [ChatMessage("user" if i % 2 == 0 else "assistant", f"{i}" + "x" * (size - 1)) for i in range(count)]


def test_trim_keeps_the_newest_messages_within_budget() -> None:
    history = _turns(9, 40)  # 10 tokens each
    kept = trim_history(history, 45)
    assert kept == tuple(history[-3:]) and kept[0].role == "user"
    assert trim_history(history, 1000) == tuple(history)


def test_trim_always_keeps_the_last_message_and_starts_with_a_user_turn() -> None:
    history = _turns(5, 400)
    assert trim_history(history, 10) == (history[-1],)
    assert trim_history(history, 250)[0].role == "user"


def test_session_sends_scene_and_trimmed_history_and_sums_usage() -> None:
    chat = RecordingChat(lambda messages: f"reply to {messages[-1].content[:6]}")
    session = ChatSession(build_simulacrum("blank", chat, CARD), "A coffee shop.", GenerationConfig(), 30)
    for text in ("first question " * 3, "second question " * 3, "third"):
        session.ask(text)
    assert len(session.history) == 6 and session.usage.calls == 3
    last = chat.calls[-1].messages
    assert last[0] == ChatMessage("system", "A coffee shop.") and last[-1].content == "third"
    assert all("first" not in m.content for m in last), "the oldest exchange was dropped"


def test_run_chat_reads_lines_until_exit() -> None:
    chat = RecordingChat(lambda messages: "Hi!\nNice to meet you.")
    session = ChatSession(build_simulacrum("prompt", chat, CARD), "A coffee shop.", GenerationConfig())
    out, notices = io.StringIO(), io.StringIO()
    code = run_chat(session, "Mary Jones", io.StringIO("Hello\n\nHow are you?\n/exit\nignored\n"), out, notices)
    assert code == 0 and len(chat.calls) == 2
    assert out.getvalue().splitlines() == ["Mary Jones: Hi! Nice to meet you."] * 2
    assert "/exit" in notices.getvalue() and "2 calls" in notices.getvalue()
