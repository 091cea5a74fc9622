"""A bandwagon session's progress, turn by turn, so that ``-r`` continues it where it stopped.

OpenCompass resumes a dataset only as a whole, and a session is one dataset row of 18
turns: a run killed in the middle of a session would ask it again from its first turn.
Without the call cache that repeats every finished call, and at a temperature above 0 it
gives another session. ``SessionInferencer`` therefore appends every turn's reply (and its
usage) to a progress file beside the predictions, and a rerun replays the saved turns
without asking the model: the resumed session is the one that was under way, and its
predictions are those of an uninterrupted run. The file is removed once the dataset's
predictions are written.

Saved turns count only for the same session: the same model (name, method, character,
temperature), the same maximum reply length, and the same row (its conversation and
seed), through a SHA-256 fingerprint; anything else starts the session over.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass
from pathlib import Path

__all__ = ["SavedTurn", "SessionProgress", "fingerprint"]


def fingerprint(*parts: object) -> str:
    """SHA-256 of ``parts`` as canonical JSON."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


@dataclass(frozen=True)
class SavedTurn:
    """One answered turn of a session."""

    reply: str
    """The subject's reply."""
    usage: dict | None
    """The reply's LLM usage, as the prediction stores it."""


class SessionProgress:
    """The progress file of one (model, dataset): append a turn, read a session's saved turns."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._saved: dict[tuple[str, int], SavedTurn] | None = None

    def saved(self, session: str) -> dict[int, SavedTurn]:
        """The saved turns (by turn number) of the session with this fingerprint."""
        with self._lock:
            if self._saved is None:
                self._saved = self._load()
            return {turn: saved for (key, turn), saved in self._saved.items() if key == session}

    def add(self, session: str, turn: int, saved: SavedTurn) -> None:
        """Append one answered turn (a line at a time: a kill loses at most the line being written)."""
        line = json.dumps({"session": session, "turn": turn, "reply": saved.reply, "usage": saved.usage})
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as out:
                out.write(line + "\n")

    def remove(self) -> None:
        """Delete the file (the dataset's predictions are written)."""
        self.path.unlink(missing_ok=True)

    def _load(self) -> dict[tuple[str, int], SavedTurn]:
        if not self.path.is_file():
            return {}
        saved = {}
        for line in self.path.read_text(encoding="utf-8").splitlines():
            try:
                entry = json.loads(line)
                saved[(str(entry["session"]), int(entry["turn"]))] = SavedTurn(str(entry["reply"]), entry["usage"])
            except (ValueError, KeyError, TypeError):
                continue  # the line being written when the run was killed
        return saved
