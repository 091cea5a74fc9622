"""The seeded profile of a new character, drawn like the paper's generated characters.

A profile takes one occupation, family, education and long-term goal, 3 hobbies and 3
short-term goals from the attribute pools (``Attributes/*.txt``), a Faker name for its
gender, an age of 20-55 with a date of birth that gives exactly that age on ``as_of``,
and 20 trait statements of ``traits.txt`` in the paper's scheme:

1. the function order: a perceiving function (Ne, Ni, Se, Si) first, a judging function
   (Te, Ti, Fe, Fi) second, the other six shuffled;
2. position p (0-7) contributes ``TRAIT_LAYOUT[p]`` = 4, 3, 2, 1, 1, 2, 3, 4 statements
   of level p+1 of its function, listed in that order.

So the ground-truth Jung order is known by construction (:attr:`Profile.jung_order`) and
:func:`recover_jung_order` finds it again from the statements alone.

Every draw comes from ``random.Random(seed)`` in a fixed sequence, and the name from a
Faker instance seeded with the same seed, so one seed, ``as_of`` and set of fixed
attributes always give the same profile (for one Faker release: Faker's name lists can
change between releases). A fixed attribute replaces its drawn value after all draws,
so fixing one leaves the others as they were; only the dependent values follow it (the
name follows the gender, the date of birth the age, the age the date of birth).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date, timedelta
from typing import TypeVar

from ..data.records import Character
from ..data.store import HumanSimulacra
from ..data.traits import FUNCTIONS, TraitCatalog
from ..errors import ConfigError, DataError, MalformedDataFileError
from ..experiments.jung.truth import TRAIT_LAYOUT, true_order

__all__ = [
    "AGE_RANGE",
    "FIXABLE",
    "GENDERS",
    "JUDGING",
    "PERCEIVING",
    "TRAIT_LAYOUT",
    "AttributePools",
    "Profile",
    "age_on",
    "draw_profile",
    "draw_traits",
    "parse_assignments",
    "recover_jung_order",
    "render_traits",
    "split_traits",
]

GENDERS: tuple[str, ...] = ("female", "male", "non-binary")
"""Genders a profile is drawn with (uniformly)."""
AGE_RANGE: tuple[int, int] = (20, 55)
"""Ages drawn, inclusive."""
PERCEIVING: tuple[str, ...] = ("Ne", "Ni", "Se", "Si")
JUDGING: tuple[str, ...] = ("Te", "Ti", "Fe", "Fi")
FIXABLE: tuple[str, ...] = (
    "name", "gender", "age", "date_of_birth", "occupation", "family", "education",
    "hobbies", "short_term_goals", "long_term_goal", "jung_order",
)  # fmt: skip
"""Attributes a user may fix (``fixed`` of :func:`draw_profile`, ``--set key=value``)."""

# AttributePools field -> Attributes/<file>.txt, and the fewest items the draw and the
# questionnaire need (the truth plus 3 distractors; 3 true plus 3 distractors for lists)
_POOLS: dict[str, tuple[str, int]] = {
    "occupations": ("occupations", 4),
    "families": ("family", 4),
    "educations": ("education", 4),
    "hobbies": ("hobbies", 6),
    "short_term_goals": ("short-term_goals", 6),
    "long_term_goals": ("long-term_goals", 4),
}
_TRAIT_COUNT = sum(TRAIT_LAYOUT)
_T = TypeVar("_T")


@dataclass(frozen=True)
class AttributePools:
    """The attribute pools of ``Attributes/*.txt``: one item a line, stripped, empties and repeats dropped."""

    occupations: tuple[str, ...]
    families: tuple[str, ...]
    educations: tuple[str, ...]
    hobbies: tuple[str, ...]
    short_term_goals: tuple[str, ...]
    long_term_goals: tuple[str, ...]

    @classmethod
    def from_store(cls, store: HumanSimulacra) -> AttributePools:
        """The pools of a local copy of the dataset (verified reads)."""
        return cls.from_texts({file: store.attribute_text(file) for file, _ in _POOLS.values()})

    @classmethod
    def from_texts(cls, texts: Mapping[str, str]) -> AttributePools:
        """Pools from file texts keyed by file stem ("occupations", "family", "short-term_goals", ...)."""
        pools: dict[str, tuple[str, ...]] = {}
        for name, (file, least) in _POOLS.items():
            if file not in texts:
                raise MalformedDataFileError(f"Attributes/{file}.txt is missing from the attribute pools")
            items = tuple(dict.fromkeys(line.strip() for line in texts[file].splitlines() if line.strip()))
            if len(items) < least:
                raise MalformedDataFileError(
                    f"Attributes/{file}.txt holds {len(items)} distinct item(s); at least {least} are needed "
                    "(one a line)"
                )
            pools[name] = items
        return cls(**pools)


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


def render_traits(traits: Sequence[str]) -> str:
    """Statements as in the cards: "- s1. - s2. ..."."""
    return " ".join(f"- {t.strip().rstrip('.')}." for t in traits)


def split_traits(text: str) -> tuple[str, ...]:
    """The statements of a rendered trait list, without "- " or the final period (split as the cards are)."""
    listed = Character(id="", name="", basic_infos="", personality_traits=text, biography="").traits
    return tuple(t.rstrip(". ") for t in listed)


def age_on(date_of_birth: date, as_of: date) -> int:
    """Completed years between ``date_of_birth`` and ``as_of``."""
    before_birthday = (as_of.month, as_of.day) < (date_of_birth.month, date_of_birth.day)
    return as_of.year - date_of_birth.year - before_birthday


def _birth_window(age: int, as_of: date) -> tuple[date, date]:
    """The first and last dates of birth that give ``age`` on ``as_of``."""
    return _years_before(as_of, age + 1) + timedelta(days=1), _years_before(as_of, age)


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a common year
        return day.replace(year=day.year - years, day=28)


def draw_traits(
    catalog: TraitCatalog, rng: random.Random, *, order: Sequence[str] | None = None
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Draw the function order and the 20 statements of the paper's scheme.

    Args:
        catalog: the statements of ``traits.txt``.
        rng: the random source (the order is drawn from it even when ``order`` is given, so
            the draws after it do not depend on ``order``).
        order: a fixed function order F1..F8 instead of the drawn one.

    Returns:
        The order F1..F8 and the statements: ``TRAIT_LAYOUT[p]`` distinct ones of level p+1
        of ``order[p]`` for p = 0..7, in that order.
    """
    first, second = rng.choice(PERCEIVING), rng.choice(JUDGING)
    rest = [f for f in FUNCTIONS if f not in (first, second)]
    rng.shuffle(rest)
    chosen = (first, second, *rest) if order is None else _check_order(order)
    statements: list[str] = []
    for level, (function, count) in enumerate(zip(chosen, TRAIT_LAYOUT, strict=True), start=1):
        pool = catalog.at(function, level)
        if len(pool) < count:
            raise MalformedDataFileError(f"traits.txt: {function} level {level} has {len(pool)} statements")
        statements += [s.text for s in rng.sample(pool, count)]
    return chosen, tuple(statements)


def recover_jung_order(traits: Sequence[str], catalog: TraitCatalog, *, name: str = "the profile") -> tuple[str, ...]:
    """The function order F1..F8 that 20 statements were drawn with (looked up in ``traits.txt``).

    Uses :func:`llmp_opencompass.experiments.jung.true_order`, so statements listed out of
    the scheme's order are placed by their level, as for the dataset's characters.

    Raises:
        DataError: a statement is not in ``traits.txt``, or the levels do not fit 4-3-2-1-1-2-3-4.
    """
    if len(traits) != _TRAIT_COUNT:
        raise DataError(f"{name}: expected {_TRAIT_COUNT} trait statements, got {len(traits)}")
    character = Character(id="", name=name, basic_infos="", personality_traits=render_traits(traits), biography="")
    return true_order(character, catalog).order


def draw_profile(
    pools: AttributePools,
    catalog: TraitCatalog,
    *,
    seed: int,
    as_of: date,
    fixed: Mapping[str, object] | None = None,
    id: str = "100",
) -> Profile:
    """Draw a profile (see the module docstring for the scheme).

    Args:
        pools: the attribute pools.
        catalog: the statements of ``traits.txt``.
        seed: seeds every draw.
        as_of: the date the age is relative to.
        fixed: attributes to set instead of drawing them, keyed by :data:`FIXABLE` ("hobbies"
            and "short_term_goals" comma-separated, 3 each; "jung_order" 8 function codes).
        id: the character id.

    Raises:
        ConfigError: an unknown key or a bad fixed value (the message says which and why).
    """
    wanted = _parse_fixed(fixed or {}, as_of)
    rng = random.Random(seed)
    gender, age, birth_fraction = rng.choice(GENDERS), rng.randint(*AGE_RANGE), rng.random()
    occupation, family = rng.choice(pools.occupations), rng.choice(pools.families)
    education = rng.choice(pools.educations)
    hobbies, short_term_goals = tuple(rng.sample(pools.hobbies, 3)), tuple(rng.sample(pools.short_term_goals, 3))
    long_term_goal = rng.choice(pools.long_term_goals)
    order, traits = draw_traits(catalog, rng, order=wanted.jung_order)
    gender = _pick(wanted.gender, gender)
    if wanted.date_of_birth is not None:
        born = wanted.date_of_birth
        age = age_on(born, as_of)
    else:
        age = _pick(wanted.age, age)
        earliest, latest = _birth_window(age, as_of)
        born = earliest + timedelta(days=int(birth_fraction * ((latest - earliest).days + 1)))
    return Profile(
        id=id,
        gender=gender,
        name=wanted.name or _draw_name(seed, gender),
        age=age,
        date_of_birth=born.isoformat(),
        occupation=_pick(wanted.occupation, occupation),
        hobbies=_pick(wanted.hobbies, hobbies),
        family=_pick(wanted.family, family),
        education=_pick(wanted.education, education),
        short_term_goals=_pick(wanted.short_term_goals, short_term_goals),
        long_term_goal=_pick(wanted.long_term_goal, long_term_goal),
        traits=traits,
        jung_order=order,
        seed=seed,
        as_of=as_of.isoformat(),
    )


def parse_assignments(items: Sequence[str]) -> dict[str, str]:
    """``--set key=value`` arguments as a dict; keys as in :data:`FIXABLE` ("-" taken for "_")."""
    assignments: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        key = _key(key)
        if not sep or not key:
            raise ConfigError(f"--set {item!r}: expected key=value, e.g. --set occupation=chef")
        if key not in FIXABLE:
            raise ConfigError(f"--set {item!r}: unknown attribute {key!r}; valid keys: {', '.join(FIXABLE)}")
        if key in assignments:
            raise ConfigError(f"--set {key}=... is given twice; keep one")
        assignments[key] = value.strip()
    return assignments


# ---------------------------------------------------------------- fixed values


def _key(key: str) -> str:
    return key.strip().lower().replace("-", "_")


@dataclass(frozen=True)
class _Fixed:
    """The user's fixed attributes, parsed (None: draw it)."""

    name: str | None = None
    gender: str | None = None
    age: int | None = None
    date_of_birth: date | None = None
    occupation: str | None = None
    family: str | None = None
    education: str | None = None
    hobbies: tuple[str, ...] | None = None
    short_term_goals: tuple[str, ...] | None = None
    long_term_goal: str | None = None
    jung_order: tuple[str, ...] | None = None


def _pick(fixed: _T | None, drawn: _T) -> _T:
    return drawn if fixed is None else fixed


def _parse_fixed(fixed: Mapping[str, object], as_of: date) -> _Fixed:
    wanted = {_key(k): str(v).strip() for k, v in fixed.items()}
    unknown = sorted(set(wanted) - set(FIXABLE))
    if unknown:
        raise ConfigError(f"unknown profile attribute(s) {', '.join(unknown)}; valid keys: {', '.join(FIXABLE)}")
    for key, value in wanted.items():
        if not value:
            raise ConfigError(f"the fixed attribute {key!r} is empty; give a value or leave it out")
    parsed = _Fixed(**{k: _PARSERS.get(k, _text)(k, v, as_of) for k, v in wanted.items()})
    if parsed.age is not None and parsed.date_of_birth is not None:
        implied = age_on(parsed.date_of_birth, as_of)
        if implied != parsed.age:
            raise ConfigError(
                f"date_of_birth {parsed.date_of_birth} gives age {implied} on {as_of.isoformat()}, not the fixed "
                f"age {parsed.age}; fix one of them only (the other is derived), or change the reference date"
            )
    return parsed


def _text(key: str, value: str, as_of: date) -> str:
    return value


def _gender(key: str, value: str, as_of: date) -> str:
    gender = re.sub(r"[\s_]+", "-", value.lower()).replace("nonbinary", "non-binary")
    if gender not in GENDERS:
        raise ConfigError(f"{key}={value!r}: expected one of {', '.join(GENDERS)}")
    return gender


def _age(key: str, value: str, as_of: date) -> int:
    if not value.isdigit() or int(value) > 150:
        raise ConfigError(f"{key}={value!r}: expected a whole number of years, e.g. 34")
    return int(value)


def _date_of_birth(key: str, value: str, as_of: date) -> date:
    try:
        born = date.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"{key}={value!r}: expected a date as YYYY-MM-DD, e.g. 1990-04-17") from None
    if born > as_of:
        raise ConfigError(f"{key}={value}: after the reference date {as_of.isoformat()}")
    return born


def _three(key: str, value: str, as_of: date) -> tuple[str, ...]:
    items = tuple(p.strip() for p in value.split(","))
    if len(items) != 3 or not all(items) or len({i.lower() for i in items}) != 3:
        raise ConfigError(f"{key}={value!r}: expected 3 distinct comma-separated items, e.g. 'a, b, c'")
    return items


def _order(key: str, value: str, as_of: date) -> tuple[str, ...]:
    return _check_order(re.split(r"[,\s]+", value.strip(", ")))


def _check_order(order: Sequence[str]) -> tuple[str, ...]:
    codes = tuple(code.strip().capitalize() for code in order)
    if sorted(codes) != sorted(FUNCTIONS):
        raise ConfigError(
            f"jung_order {','.join(order)!r}: expected each of the 8 functions once, comma-separated, "
            f"e.g. {','.join(FUNCTIONS)}"
        )
    return codes


_PARSERS: dict[str, Callable[[str, str, date], object]] = {
    "gender": _gender,
    "age": _age,
    "date_of_birth": _date_of_birth,
    "hobbies": _three,
    "short_term_goals": _three,
    "jung_order": _order,
}


def _draw_name(seed: int, gender: str) -> str:
    try:
        from faker import Faker
    except ImportError:
        raise ConfigError("drawing a name needs Faker: pip install faker (or fix the name)") from None
    fake = Faker("en_US")
    fake.seed_instance(seed)
    last = fake.last_name()  # first, so that the surname does not depend on the gender
    first = {"female": fake.first_name_female, "male": fake.first_name_male}.get(gender, fake.first_name_nonbinary)
    return f"{first()} {last}"


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
    if len(profile.traits) != _TRAIT_COUNT:
        raise ValueError(f"'traits' must hold {_TRAIT_COUNT} statements, got {len(profile.traits)}")
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
