"""The pinned upstream of the Human Simulacra files and their SHA-256 manifest.

The data files (CC BY-NC-SA 4.0) are never committed. The package keeps only this
manifest (``data/manifest.json`` at the project root, shipped as
``llmp_opencompass.resources``): for every upstream file the package may read, its
path relative to the repository root, its SHA-256 and its size. Downloads and reads
are checked against it.

Maintainers rebuild it from a local copy with
``llmp-opencompass data manifest --from DIR --out data/manifest.json``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal
from urllib.parse import quote

from ..errors import DataError, MalformedDataFileError, MissingDataFileError

__all__ = [
    "UPSTREAM_REPO",
    "UPSTREAM_COMMIT",
    "DEFAULT_BASE_URL",
    "CHARACTERS_DIR",
    "FileEntry",
    "Manifest",
    "FileStatus",
    "sha256_file",
    "file_url",
    "find_characters_dir",
    "local_path",
    "select_files",
    "build_manifest",
    "read_manifest",
    "write_manifest",
    "load_manifest",
    "check_files",
]

UPSTREAM_REPO = "hasakiXie123/Human-Simulacra"
"""The upstream GitHub repository of the dataset."""
UPSTREAM_COMMIT = "5f521ab18eb4206d6e4f608670646b249b342c71"
"""The pinned upstream commit: every manifest hash is of this commit's files."""
DEFAULT_BASE_URL = f"https://raw.githubusercontent.com/{UPSTREAM_REPO}/{UPSTREAM_COMMIT}/"
"""Raw-file URL prefix of the pinned commit (a file's URL is this plus its quoted path)."""
CHARACTERS_DIR = "LLMP/Characters"
"""Where the character files sit, relative to the repository root."""

_CHUNK = 1 << 16


@dataclass(frozen=True)
class FileEntry:
    """One file of the manifest."""

    path: str
    """POSIX path relative to the repository root, e.g. ``LLMP/Characters/Attributes/traits.txt``."""
    sha256: str
    """Lower-case hex SHA-256 of the file's bytes."""
    size: int
    """Size in bytes."""


@dataclass(frozen=True)
class Manifest:
    """The pinned upstream and the files the package may read from it."""

    repo: str
    """Upstream repository, ``owner/name``."""
    commit: str
    """Upstream commit the hashes belong to."""
    base_url: str
    """Raw-file URL prefix of that commit, ending in "/"."""
    files: tuple[FileEntry, ...]
    """The files, sorted by path."""

    @cached_property
    def _by_path(self) -> dict[str, FileEntry]:
        return {entry.path: entry for entry in self.files}

    def entry(self, path: str) -> FileEntry | None:
        """The entry of this repository-relative path, or None if the file is not pinned."""
        return self._by_path.get(path)

    @property
    def total_size(self) -> int:
        """Sum of the file sizes in bytes."""
        return sum(entry.size for entry in self.files)

    def to_json(self) -> dict[str, object]:
        """The JSON form: ``{"repo", "commit", "base_url", "files": {path: {"sha256", "size"}}}``."""
        files = {e.path: {"sha256": e.sha256, "size": e.size} for e in self.files}
        return {"repo": self.repo, "commit": self.commit, "base_url": self.base_url, "files": files}

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> Manifest:
        """Build from the JSON form.

        Raises:
            KeyError, TypeError, ValueError: the data does not have the manifest's shape.
        """
        files = data["files"]
        if not isinstance(files, Mapping):
            raise TypeError("'files' must be an object")
        entries = tuple(
            FileEntry(path=str(path), sha256=str(info["sha256"]), size=int(info["size"]))
            for path, info in sorted(files.items())
        )
        return cls(
            repo=str(data["repo"]), commit=str(data["commit"]), base_url=str(data["base_url"]), files=entries
        )


@dataclass(frozen=True)
class FileStatus:
    """The result of checking one manifest file in a data root."""

    path: str
    """Repository-relative path."""
    status: Literal["ok", "missing", "corrupt"]
    """What was found."""
    expected: str
    """SHA-256 from the manifest."""
    actual: str | None = None
    """SHA-256 of the file found (None when missing)."""


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def file_url(base_url: str, path: str) -> str:
    """URL of a repository-relative path under a base URL (spaces become ``%20``)."""
    return base_url.rstrip("/") + "/" + quote(path, safe="/")


def _is_used(relative: Path) -> bool:
    """True for the files under ``Characters/`` that the package may read."""
    parts = relative.parts
    if len(parts) == 1:
        return parts[0] in ("character_introductions.json", "character_profiles.json")
    top, name = parts[0], parts[-1]
    if top == "Attributes":
        return len(parts) == 2 and name.endswith(".txt")
    if top == "Stories":
        return len(parts) == 3 and name == f"{parts[1]}.txt"
    if top == "Memories":
        return len(parts) == 3 and name.endswith(".json")
    if top == "Questions":
        return len(parts) in (2, 3) and name.endswith(".json")
    return False


def find_characters_dir(path: Path) -> Path:
    """The ``Characters`` directory of a local copy.

    ``path`` may be the repository root (holding ``LLMP/Characters``), the ``LLMP``
    directory or the ``Characters`` directory itself.
    """
    for candidate in (path / CHARACTERS_DIR, path / "Characters", path):
        if candidate.name == "Characters" and candidate.is_dir():
            return candidate
    raise MissingDataFileError(
        f"no Human Simulacra data at {path}: expected {path / CHARACTERS_DIR} (or the LLMP or Characters "
        "directory itself); run `llmp-opencompass data download`, or point LLMP_DATA_DIR at a local copy"
    )


def local_path(characters_dir: Path, path: str) -> Path:
    """Where a manifest path (``LLMP/Characters/...``) lives under a local ``Characters`` directory."""
    prefix = CHARACTERS_DIR + "/"
    if not path.startswith(prefix):
        raise ValueError(f"{path!r} is not under {CHARACTERS_DIR}")
    return characters_dir / path[len(prefix) :]


def select_files(characters_dir: Path) -> tuple[str, ...]:
    """Manifest paths of the files the package may read in a local ``Characters`` directory, sorted.

    These are ``character_introductions.json``, ``character_profiles.json``,
    ``Attributes/*.txt``, ``Stories/<Name>/<Name>.txt``, ``Memories/<Name>/*.json``,
    ``Questions/<Name>/*.json`` and the ``Questions/*.json`` templates (no PDFs, no
    ``_with_chapter_title.txt``, no readmes).
    """
    found = (p.relative_to(characters_dir) for p in characters_dir.rglob("*") if p.is_file())
    return tuple(sorted(f"{CHARACTERS_DIR}/{rel.as_posix()}" for rel in found if _is_used(rel)))


def build_manifest(
    path: Path, *, repo: str = UPSTREAM_REPO, commit: str = UPSTREAM_COMMIT, base_url: str = DEFAULT_BASE_URL
) -> Manifest:
    """Hash the used files of a local copy (root, ``LLMP`` or ``Characters`` directory)."""
    characters_dir = find_characters_dir(path)
    entries = tuple(
        FileEntry(
            path=p,
            sha256=sha256_file(local_path(characters_dir, p)),
            size=local_path(characters_dir, p).stat().st_size,
        )
        for p in select_files(characters_dir)
    )
    return Manifest(repo=repo, commit=commit, base_url=base_url, files=entries)


def read_manifest(path: Path) -> Manifest:
    """Read a manifest JSON file."""
    try:
        return Manifest.from_json(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError as exc:
        raise MissingDataFileError(f"manifest {path} not found; reinstall llmp-opencompass") from exc
    except json.JSONDecodeError as exc:
        raise MalformedDataFileError(
            f"{path}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from exc
    except (KeyError, TypeError, ValueError) as exc:
        raise MalformedDataFileError(f"{path}: not a manifest ({exc!r})") from exc


def write_manifest(manifest: Manifest, path: Path) -> None:
    """Write a manifest as indented JSON with sorted paths and a final newline."""
    path.write_text(json.dumps(manifest.to_json(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


@lru_cache(maxsize=1)
def load_manifest() -> Manifest:
    """The manifest shipped with the package (``llmp_opencompass.resources/manifest.json``)."""
    resource = resources.files("llmp_opencompass.resources") / "manifest.json"
    try:
        text = resource.read_text(encoding="utf-8")
    except (FileNotFoundError, ModuleNotFoundError) as exc:
        raise DataError(
            "the packaged manifest llmp_opencompass.resources/manifest.json is missing; "
            "reinstall llmp-opencompass"
        ) from exc
    return Manifest.from_json(json.loads(text))


def check_files(
    characters_dir: Path, manifest: Manifest, paths: Iterable[str] | None = None
) -> tuple[FileStatus, ...]:
    """Check manifest files (all, or the given paths) in a local ``Characters`` directory."""
    entries = manifest.files if paths is None else tuple(filter(None, map(manifest.entry, paths)))
    return tuple(_check_file(characters_dir, entry) for entry in entries)


def _check_file(characters_dir: Path, entry: FileEntry) -> FileStatus:
    target = local_path(characters_dir, entry.path)
    if not target.is_file():
        return FileStatus(entry.path, "missing", entry.sha256)
    actual = sha256_file(target)
    return FileStatus(entry.path, "ok" if actual == entry.sha256 else "corrupt", entry.sha256, actual)
