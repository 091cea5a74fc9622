"""Chat with a simulacrum: the session logic (``session``) and the terminal command (``cli``)."""

from .session import ChatSession, trim_history

__all__ = ["ChatSession", "trim_history"]
