"""The profile of a new character: the drawn attributes, the traits and their Jung order.

:class:`Profile` is the record ``profile.json`` holds (:meth:`Profile.to_json` and
:meth:`Profile.from_json`), with the card lines made from it. It checks itself when made:
3 hobbies and 3 short-term goals, 20 trait statements, the 8 functions once in the Jung
order, and an age that matches the date of birth on ``as_of``. Drawing one is
``profile_draw.py``'s job; the trait scheme is ``trait_scheme.py``'s.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date
from typing import TypeVar

from ..data.traits import FUNCTIONS
from ..errors import MalformedDataFileError
from .trait_scheme import TRAIT_COUNT, render_traits, split_traits

__all__ = ["GENDERS", "Profile", "age_on"]

GENDERS: tuple[str, ...] = ("female", "male", "non-binary")
"""Genders a profile is drawn with (uniformly)."""
_T = TypeVar("_T")


@dataclass(frozen=True)
class Profile:
    """A drawn (or user-fixed) character profile; ``to_json`` gives a ``character_profiles.json`` entry."""

    id: str
    """Character id, like the upstream "000".."010" (user characters default to "100")."""
    gender: str
    """One of :data:`GENDERS`."""
    name: str
    """Full name."""
    age: int
    """Age in years on :attr:`as_of`."""
    date_of_birth: str
    """ISO date (YYYY-MM-DD), consistent with :attr:`age` on :attr:`as_of`."""
    occupation: str
    hobbies: tuple[str, ...]
    """Exactly 3."""
    family: str
    education: str
    short_term_goals: tuple[str, ...]
    """Exactly 3."""
    long_term_goal: str
    traits: tuple[str, ...]
    """20 statements of ``traits.txt``, without "- " or the final period, in the scheme's order."""
    jung_order: tuple[str, ...]
    """The ground-truth function order F1..F8 the traits were drawn with."""
    seed: int
    """The seed of the draw."""
    as_of: str
    """ISO date the age is relative to."""

    def __post_init__(self) -> None:
        _check_profile(self)

    def personality_traits(self) -> str:
        """The traits as in the cards: "- s1. - s2. ... - s20."."""
        return render_traits(self.traits)

    def basic_infos(self) -> str:
        """The card's ``Basic_infos``: the profile line without traits, between quote-pair lines."""
        line = (
            f"Name: {self.name}, Age: {self.age}, Gender: {self.gender}, Date of Birth: {self.date_of_birth}, "
            f"Occupation: {self.occupation}, Hobbies: '{', '.join(self.hobbies)}', Family: {self.family}, "
            f"Education: {self.education}, Short-term Goals: '{', '.join(self.short_term_goals)}', "
            f"Long-term Goal: {self.long_term_goal.rstrip('.')}."
        )
        return f'""\n{line}\n""\n'

    def card(self, content: str, extra: Mapping[str, str] | None = None) -> dict[str, object]:
        """A card in the ``character_introductions.json`` format with ``content`` as the biography."""
        return {
            "ID": self.id,
            "Name": self.name,
            "Personality_traits": self.personality_traits(),
            "Basic_infos": self.basic_infos(),
            "Extra": dict(extra or {}),
            "Content": content,
        }

    def to_json(self) -> dict[str, object]:
        """The upstream ``character_profiles.json`` keys plus ``Jung_order``, ``Seed`` and ``As_of``."""
        return {
            "ID": self.id,
            "Gender": self.gender,
            "Name": self.name,
            "Age": self.age,
            "Date_of_birth": self.date_of_birth,
            "Photo": "NULL",
            "Occupation": self.occupation,
            "Traits": self.personality_traits(),
            "Hobbies": ", ".join(self.hobbies),
            "Family": self.family,
            "Education": self.education,
            "Short-term_goals": ", ".join(self.short_term_goals),
            "Long-term_goal": self.long_term_goal,
            "Jung_order": list(self.jung_order),
            "Seed": self.seed,
            "As_of": self.as_of,
        }

    @classmethod
    def from_json(cls, data: object, *, source: str = "profile.json") -> Profile:
        """The inverse of :meth:`to_json`; raises ``MalformedDataFileError`` naming ``source`` and the key."""
        if not isinstance(data, Mapping):
            raise MalformedDataFileError(f"{source}: expected a JSON object, got {type(data).__name__}")
        try:
            return cls(
                id=_field(data, "ID", str),
                gender=_field(data, "Gender", str),
                name=_field(data, "Name", str),
                age=_field(data, "Age", int),
                date_of_birth=_field(data, "Date_of_birth", str),
                occupation=_field(data, "Occupation", str),
                hobbies=_split_list(_field(data, "Hobbies", str)),
                family=_field(data, "Family", str),
                education=_field(data, "Education", str),
                short_term_goals=_split_list(_field(data, "Short-term_goals", str)),
                long_term_goal=_field(data, "Long-term_goal", str),
                traits=split_traits(_field(data, "Traits", str)),
                jung_order=tuple(_field(data, "Jung_order", list)),
                seed=_field(data, "Seed", int),
                as_of=_field(data, "As_of", str),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise MalformedDataFileError(f"{source}: {exc.args[0] if exc.args else exc}") from exc


def age_on(date_of_birth: date, as_of: date) -> int:
    """Completed years between ``date_of_birth`` and ``as_of``."""
    before_birthday = (as_of.month, as_of.day) < (date_of_birth.month, date_of_birth.day)
    return as_of.year - date_of_birth.year - before_birthday


# ---------------------------------------------------------------- checks


def _check_profile(profile: Profile) -> None:
    """Raise ValueError naming the first inconsistent field (``from_json`` adds the file)."""
    for item in fields(profile):
        value = getattr(profile, item.name)
        if isinstance(value, str) and not value.strip() and item.name != "id":
            raise ValueError(f"{item.name!r} is empty")
    if profile.gender not in GENDERS:
        raise ValueError(f"gender {profile.gender!r} is not one of {', '.join(GENDERS)}")
    for name in ("hobbies", "short_term_goals"):
        if len(getattr(profile, name)) != 3:
            raise ValueError(f"{name!r} must hold 3 items, got {list(getattr(profile, name))}")
    if len(profile.traits) != TRAIT_COUNT:
        raise ValueError(f"'traits' must hold {TRAIT_COUNT} statements, got {len(profile.traits)}")
    if sorted(profile.jung_order) != sorted(FUNCTIONS):
        raise ValueError(f"'jung_order' must list each of {', '.join(FUNCTIONS)} once, got {list(profile.jung_order)}")
    born, as_of = _iso("date_of_birth", profile.date_of_birth), _iso("as_of", profile.as_of)
    if age_on(born, as_of) != profile.age:
        raise ValueError(
            f"age {profile.age} does not match date of birth {profile.date_of_birth} on {profile.as_of} "
            f"(that gives {age_on(born, as_of)})"
        )


def _iso(name: str, value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{name!r} must be a date as YYYY-MM-DD, got {value!r}") from None


def _field(data: Mapping[str, object], key: str, kind: type[_T]) -> _T:
    if key not in data:
        raise KeyError(f"missing key {key!r}")
    value = data[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise TypeError(f"{key!r} must be {kind.__name__}, got {type(value).__name__}")
    return value


def _split_list(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.split(",") if p.strip())
