"""Split a text into overlapping character chunks, preferably at natural boundaries.

Like a recursive character splitter: a text longer than ``size`` is cut at the
coarsest separator that exists in it (blank line, line break, sentence end, space,
and as a last resort anywhere), the pieces are packed greedily into chunks of at
most ``size`` characters, and each chunk after the first starts with up to
``overlap`` characters taken from the end of the previous one (whole pieces when
possible, else whole words), so that a sentence cut by a boundary is still found whole in one chunk.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ChunkingConfig", "split_text", "SEPARATORS"]

SEPARATORS: tuple[str, ...] = ("\n\n", "\n", ". ", " ", "")
"""Separators tried in order, coarsest first ("" cuts between any two characters)."""


@dataclass(frozen=True)
class ChunkingConfig:
    """How a story is cut into passages."""

    size: int = 512
    """Maximum characters per chunk."""
    overlap: int = 32
    """Characters repeated from the end of the previous chunk (must be below ``size``)."""

    def __post_init__(self) -> None:
        if self.size < 1 or not 0 <= self.overlap < self.size:
            raise ValueError(f"chunking needs size >= 1 and 0 <= overlap < size, got {self.size}/{self.overlap}")

    @property
    def id(self) -> str:
        """A short description, part of index cache keys."""
        return f"recursive-{self.size}-{self.overlap}"


def split_text(text: str, config: ChunkingConfig | None = None) -> tuple[str, ...]:
    """The chunks of ``text`` (stripped, none empty), in order."""
    config = config or ChunkingConfig()
    pieces = _pieces(text, config.size, SEPARATORS)
    return tuple(c for c in (chunk.strip() for chunk in _pack(pieces, config)) if c)


def _pieces(text: str, size: int, separators: tuple[str, ...]) -> list[str]:
    """Cut ``text`` into pieces of at most ``size`` characters, each keeping its separator."""
    if len(text) <= size:
        return [text] if text else []
    separator, rest = separators[0], separators[1:]
    if separator == "":
        return [text[i : i + size] for i in range(0, len(text), size)]
    if separator not in text:
        return _pieces(text, size, rest)
    parts = text.split(separator)
    pieces: list[str] = []
    for i, part in enumerate(parts):
        piece = part + separator if i < len(parts) - 1 else part
        pieces.extend(_pieces(piece, size, rest) if len(piece) > size else [piece] if piece else [])
    return pieces


def _pack(pieces: list[str], config: ChunkingConfig) -> list[str]:
    chunks: list[str] = []
    current: list[str] = []
    for piece in pieces:
        if current and len("".join(current)) + len(piece) > config.size:
            chunks.append("".join(current))
            current = _tail(current, config.overlap, config.size - len(piece))
        current.append(piece)
    if current:
        chunks.append("".join(current))
    return chunks


def _tail(pieces: list[str], overlap: int, room: int) -> list[str]:
    """The last pieces of a chunk to repeat: at most ``overlap`` characters and ``room`` left."""
    limit = min(overlap, room)
    if limit <= 0:
        return []
    tail: list[str] = []
    for piece in reversed(pieces):
        if len(piece) + sum(map(len, tail)) > limit:
            break
        tail.insert(0, piece)
    if not tail:  # no whole piece fits: repeat the last words that do
        end = pieces[-1][-limit:]
        start = end.find(" ") + 1 if " " in end[:-1] else 0
        return [end[start:]] if end[start:].strip() else []
    return tail
