"""The seeded draw of a new character's profile, like the paper's generated characters.

A profile takes one occupation, family, education and long-term goal, 3 hobbies and 3
short-term goals from the attribute pools (``Attributes/*.txt``), a Faker name for its
gender, an age of 20-55 with a date of birth that gives exactly that age on ``as_of``,
and 20 trait statements of ``traits.txt`` in the paper's scheme (``trait_scheme.py``),
so the ground-truth Jung order is known by construction (:attr:`Profile.jung_order`).

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
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeVar

from ..data.traits import TraitCatalog
from ..errors import ConfigError
from .attribute_pools import AttributePools
from .profile import GENDERS, Profile, age_on
from .trait_scheme import check_order, draw_traits

__all__ = ["AGE_RANGE", "FIXABLE", "draw_profile", "parse_assignments"]

AGE_RANGE: tuple[int, int] = (20, 55)
"""Ages drawn, inclusive."""
FIXABLE: tuple[str, ...] = (
    "name", "gender", "age", "date_of_birth", "occupation", "family", "education",
    "hobbies", "short_term_goals", "long_term_goal", "jung_order",
)  # fmt: skip
"""Attributes a user may fix (``fixed`` of :func:`draw_profile`, ``--set key=value``)."""
_T = TypeVar("_T")


def _birth_window(age: int, as_of: date) -> tuple[date, date]:
    """The first and last dates of birth that give ``age`` on ``as_of``."""
    return _years_before(as_of, age + 1) + timedelta(days=1), _years_before(as_of, age)


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a common year
        return day.replace(year=day.year - years, day=28)


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
    return check_order(re.split(r"[,\s]+", value.strip(", ")))


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
