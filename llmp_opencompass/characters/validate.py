"""Check a character folder (``data/layout.py``) against the formats the runtime reads.

Every part present is checked: ``card.json`` (a card ``Character.from_card`` accepts, with
a name, the ``Basic_infos`` quote-pair lines and 20 trait statements), ``profile.json``
(``Profile.from_json``, the same traits and name as the card), ``story.txt`` (UTF-8 with at
least one paragraph), ``Questions/*.json`` (the runtime loader's rules, and no template item
left) and ``Memories/`` (the runtime memory parser). ``require`` names the parts that must
exist; a missing one is a problem naming the command that makes it.

Problems are collected, not raised, so one run lists them all: the checks of each part are
:mod:`.validation_checks`'s, the outcome is a :class:`.validation_report.ValidationReport`.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..data.layout import CharacterFolder
from ..data.traits import TraitCatalog
from ..errors import ConfigError
from .trait_scheme import TRAIT_LAYOUT
from .validation_checks import FolderCheck, make_command
from .validation_report import ValidationReport

__all__ = ["PARTS", "validate_folder"]

PARTS: tuple[str, ...] = ("card", "profile", "story", "questions", "memory")
"""The parts of a folder ``require`` may name (the card is always required)."""


def validate_folder(
    path: Path | str, *, require: Iterable[str] | None = None, catalog: TraitCatalog | None = None
) -> ValidationReport:
    """Check a character folder.

    Args:
        path: the folder.
        require: parts that must exist besides the card ("profile", "story", "questions", "memory").
        catalog: the statements of ``traits.txt``; when given, the traits must give a Jung order
            (and the profile's ``Jung_order`` must be that order).

    Raises:
        ConfigError: ``require`` names an unknown part.
    """
    folder = CharacterFolder(Path(path))
    wanted = {"card", *(require or ())}
    unknown = sorted(wanted - set(PARTS))
    if unknown:
        raise ConfigError(f"unknown folder part(s) {', '.join(unknown)}; valid: {', '.join(PARTS)}")
    check = FolderCheck(folder)
    if not folder.root.is_dir():
        check.problem(folder.root, f"not a folder; create a character with {make_command('card', folder)}")
        return check.report()
    character = check.card()
    parts = {
        "profile": (folder.profile, check.profile),
        "story": (folder.story, check.story),
        "questions": (folder.questions_dir, check.questions),
        "memory": (folder.memories, check.memory),
    }
    for part, (where, run) in parts.items():
        if where.exists():
            run(character, catalog)
        elif part in wanted:
            check.problem(where, f"missing; create it with {make_command(part, folder, character)}")
    if character is not None and catalog is not None and len(character.traits) == sum(TRAIT_LAYOUT):
        check.jung_order("card.json", folder.card, character.traits, catalog)
    return check.report()
