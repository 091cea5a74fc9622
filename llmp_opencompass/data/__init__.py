"""The Human Simulacra data: where it is, how it is fetched and checked, and its typed records.

- ``records``: frozen records (``Character``, ``Question``, ``Story``, ``LongTermMemory``...).
- ``manifest``: the pinned upstream commit and the SHA-256 of every file the package reads.
- ``download``: verified, atomic, resumable download of the pinned files.
- ``locate``: explicit copy, then user cache, then download (the environment is read by ``settings.data``).
- ``layout``: the files of a character folder made with ``llmp-opencompass character``.
- ``store``: ``HumanSimulacra``, typed and verified access to one local copy.
- ``parsers``: the pure parsers of the upstream files (questionnaires, memories, stories).
- ``user_files``: a character card and story given as files by the user.

No OpenCompass or mmengine import here.
"""

from .download import DownloadReport, download_files
from .locate import (
    DataLocation,
    DataSettings,
    cache_dir,
    locate_data,
    missing_files,
    open_store,
)
from .manifest import (
    CHARACTERS_DIR,
    DEFAULT_BASE_URL,
    UPSTREAM_COMMIT,
    UPSTREAM_REPO,
    FileEntry,
    FileStatus,
    Manifest,
    build_manifest,
    check_files,
    file_url,
    find_characters_dir,
    load_manifest,
    read_manifest,
    write_manifest,
)
from .records import (
    SCORED_TYPES,
    Character,
    LongTermMemory,
    MemoryEntry,
    Question,
    QuestionType,
    Story,
    slugify,
)
from .store import HumanSimulacra

__all__ = [
    "CHARACTERS_DIR",
    "DEFAULT_BASE_URL",
    "SCORED_TYPES",
    "UPSTREAM_COMMIT",
    "UPSTREAM_REPO",
    "Character",
    "DataLocation",
    "DataSettings",
    "DownloadReport",
    "FileEntry",
    "FileStatus",
    "HumanSimulacra",
    "LongTermMemory",
    "Manifest",
    "MemoryEntry",
    "Question",
    "QuestionType",
    "Story",
    "build_manifest",
    "cache_dir",
    "check_files",
    "download_files",
    "file_url",
    "find_characters_dir",
    "load_manifest",
    "locate_data",
    "missing_files",
    "open_store",
    "read_manifest",
    "slugify",
    "write_manifest",
]
