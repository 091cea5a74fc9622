"""A user-made character folder for tests, cloned from a dataset character under a new name."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from llmp_opencompass.data.layout import CharacterFolder

CHARACTERS = Path("LLMP") / "Characters"


def clone_character(data_root: Path, dest: Path, *, source: str = "Mary Jones", name: str = "Nora Quill") -> Path:
    """Write ``dest`` as a character folder (card, story, questionnaires, memory) holding
    ``source``'s data with every mention of the name replaced by ``name``."""
    characters = data_root / CHARACTERS
    first, new_first = source.split()[0], name.split()[0]

    def rename(text: str) -> str:
        return text.replace(source, name).replace(first, new_first)

    folder = CharacterFolder(dest)
    dest.mkdir(parents=True, exist_ok=True)
    cards = json.loads((characters / "character_introductions.json").read_text(encoding="utf-8"))
    card = next(c for c in cards if c["Name"] == source)
    card = {k: rename(v) if isinstance(v, str) else v for k, v in card.items()}
    folder.card.write_text(json.dumps(dict(card, ID="100"), indent=4), encoding="utf-8")
    story = (characters / "Stories" / source / f"{source}.txt").read_text(encoding="utf-8")
    folder.story.write_text(rename(story), encoding="utf-8")
    folder.questions_dir.mkdir(exist_ok=True)
    for path in (characters / "Questions" / source).glob("*.json"):
        (folder.questions_dir / path.name).write_text(rename(path.read_text(encoding="utf-8")), encoding="utf-8")
    shutil.copytree(characters / "Memories" / source, folder.memories, dirs_exist_ok=True)
    for path in folder.memories.glob("*.json"):
        path.write_text(rename(path.read_text(encoding="utf-8")), encoding="utf-8")
    return dest
