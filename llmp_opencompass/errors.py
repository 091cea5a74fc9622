"""Errors raised by llmp_opencompass.

Every error names the thing that is wrong and how to fix it. None of them is
ever turned into a score: a task that meets one fails visibly.
"""

from __future__ import annotations

__all__ = [
    "LlmpError",
    "DataError",
    "UnknownCharacterError",
    "MissingDataFileError",
    "CorruptDataFileError",
    "MalformedDataFileError",
    "DownloadError",
    "ConfigError",
    "EndpointError",
    "CacheError",
]


class LlmpError(Exception):
    """Base class of every error this package raises on purpose."""


class DataError(LlmpError):
    """The Human Simulacra data cannot be found, read or trusted."""


class UnknownCharacterError(DataError, KeyError):
    """A character name that is not in the dataset (the message lists the valid names)."""

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return str(self.args[0]) if self.args else ""


class MissingDataFileError(DataError, FileNotFoundError):
    """A data file that should exist does not."""


class CorruptDataFileError(DataError):
    """A data file whose SHA-256 differs from the manifest."""


class MalformedDataFileError(DataError):
    """A data file that cannot be parsed (names the file and the position)."""


class DownloadError(DataError):
    """Downloading the pinned upstream files failed."""


class ConfigError(LlmpError, ValueError):
    """A configuration value (environment variable or config option) is wrong."""


class EndpointError(LlmpError):
    """An OpenAI-compatible endpoint failed after bounded retries (names the URL)."""


class CacheError(LlmpError):
    """The LLM call cache cannot be opened (names the file, and ``LLMP_CACHE=off``)."""
