"""The seeded profile draw: attribute pools, trait scheme, Jung order, fixed attributes, card format."""

from __future__ import annotations

import dataclasses
import json
import random
from datetime import date, timedelta
from pathlib import Path

import pytest

from llmp_opencompass.characters.attribute_pools import AttributePools
from llmp_opencompass.characters.profile import GENDERS, Profile, age_on
from llmp_opencompass.characters.profile_draw import AGE_RANGE, FIXABLE, draw_profile, parse_assignments
from llmp_opencompass.characters.trait_scheme import (
    JUDGING,
    PERCEIVING,
    TRAIT_LAYOUT,
    draw_traits,
    recover_jung_order,
)
from llmp_opencompass.data import HumanSimulacra
from llmp_opencompass.data.records import Character
from llmp_opencompass.data.traits import FUNCTIONS, TraitCatalog, statement_key
from llmp_opencompass.errors import ConfigError, DataError, MalformedDataFileError
from tests.support.jung_orders import SPEC_ORDERS

AS_OF = date(2024, 5, 1)


def _draw(pools: AttributePools, catalog: TraitCatalog, seed: int = 7, **fixed: str) -> Profile:
    return draw_profile(pools, catalog, seed=seed, as_of=AS_OF, fixed=fixed)


# ---------------------------------------------------------------- pools


def test_pools_come_from_the_attribute_files(pools: AttributePools) -> None:
    sizes = {name: len(getattr(pools, name)) for name in pools.__dataclass_fields__}
    assert sizes == {
        "occupations": 76,
        "families": 12,
        "educations": 9,
        "hobbies": 50,
        "short_term_goals": 22,
        "long_term_goals": 24,
    }
    assert "low-income, nuclear family" in pools.families
    assert all(item == item.strip() and item for name in sizes for item in getattr(pools, name))


def test_pools_need_enough_items() -> None:
    texts = {f: "a\nb\nc\nd\ne\nf\n" for f in ("occupations", "family", "education", "hobbies", "long-term_goals")}
    with pytest.raises(MalformedDataFileError, match="short-term_goals"):
        AttributePools.from_texts(texts)
    with pytest.raises(MalformedDataFileError, match=r"hobbies.txt holds 3 distinct item\(s\); at least 6"):
        AttributePools.from_texts(texts | {"short-term_goals": "a\nb\nc\nd\ne\nf", "hobbies": "x\n\nx\ny\n z \n"})


# ---------------------------------------------------------------- the draw


def test_the_draw_is_reproducible_and_depends_on_the_seed(pools: AttributePools, catalog: TraitCatalog) -> None:
    assert _draw(pools, catalog, seed=11) == _draw(pools, catalog, seed=11)
    profiles = [_draw(pools, catalog, seed=s) for s in range(20)]
    assert len({p.traits for p in profiles}) == 20
    assert len({(p.name, p.date_of_birth, p.occupation, p.hobbies) for p in profiles}) == 20
    assert {p.gender for p in profiles} == set(GENDERS)


def test_drawn_values_come_from_the_pools(pools: AttributePools, catalog: TraitCatalog) -> None:
    for seed in range(30):
        p = _draw(pools, catalog, seed=seed)
        assert p.occupation in pools.occupations and p.family in pools.families
        assert p.education in pools.educations and p.long_term_goal in pools.long_term_goals
        assert len(set(p.hobbies)) == 3 and set(p.hobbies) <= set(pools.hobbies)
        assert len(set(p.short_term_goals)) == 3 and set(p.short_term_goals) <= set(pools.short_term_goals)
        assert len(p.name.split()) >= 2 and p.seed == seed and p.as_of == AS_OF.isoformat()


@pytest.mark.parametrize("as_of", [date(2024, 5, 1), date(2024, 2, 29), date(2023, 1, 1), date(2023, 12, 31)])
def test_age_and_date_of_birth_agree(pools: AttributePools, catalog: TraitCatalog, as_of: date) -> None:
    ages = set()
    for seed in range(150):
        p = draw_profile(pools, catalog, seed=seed, as_of=as_of)
        assert AGE_RANGE[0] <= p.age <= AGE_RANGE[1]
        assert age_on(date.fromisoformat(p.date_of_birth), as_of) == p.age
        ages.add(p.age)
    assert len(ages) > 20


def test_age_on_edges() -> None:
    assert age_on(date(1994, 6, 27), date(2023, 6, 26)) == 28
    assert age_on(date(1994, 6, 27), date(2023, 6, 27)) == 29
    assert age_on(date(1992, 2, 29), date(2023, 2, 28)) == 30
    assert age_on(date(1992, 2, 29), date(2024, 2, 29)) == 32


def test_a_fixed_age_spreads_the_birthday_over_the_whole_year(pools: AttributePools, catalog: TraitCatalog) -> None:
    born = {date.fromisoformat(_draw(pools, catalog, seed=s, age="30").date_of_birth) for s in range(300)}
    first, last = date(1993, 5, 2), date(1994, 5, 1)  # the dates of birth that give 30 on 2024-05-01
    assert age_on(first, AS_OF) == age_on(last, AS_OF) == 30
    assert age_on(first - timedelta(days=1), AS_OF) == 31 and age_on(last + timedelta(days=1), AS_OF) == 29
    assert all(first <= b <= last for b in born)
    assert min(born) < date(1993, 6, 1) and max(born) > date(1994, 4, 1)


# ---------------------------------------------------------------- traits


def _where(catalog: TraitCatalog) -> dict[str, tuple[str, int]]:
    return {statement_key(s.text): (s.function, s.level) for s in catalog.statements}


def test_trait_scheme(catalog: TraitCatalog) -> None:
    where = _where(catalog)
    for seed in range(50):
        order, statements = draw_traits(catalog, random.Random(seed))
        assert order[0] in PERCEIVING and order[1] in JUDGING and sorted(order) == sorted(FUNCTIONS)
        assert len(statements) == 20 and len(set(statements)) == 20
        start = 0
        for position, count in enumerate(TRAIT_LAYOUT):
            block = statements[start : start + count]
            assert [where[statement_key(s)] for s in block] == [(order[position], position + 1)] * count
            start += count
        assert all(not s.startswith("- ") and not s.endswith(".") for s in statements)


def test_the_jung_order_is_recovered_from_the_traits(pools: AttributePools, catalog: TraitCatalog) -> None:
    for seed in range(50):
        p = _draw(pools, catalog, seed=seed)
        assert recover_jung_order(p.traits, catalog) == p.jung_order
        assert recover_jung_order(p.traits[::-1], catalog) == p.jung_order  # placed by level


@pytest.mark.parametrize("name", sorted(SPEC_ORDERS))
def test_the_jung_order_of_the_real_cards(store: HumanSimulacra, catalog: TraitCatalog, name: str) -> None:
    assert " ".join(recover_jung_order(store.character(name).traits, catalog)) == SPEC_ORDERS[name]


def test_traits_outside_the_scheme_are_an_error(pools: AttributePools, catalog: TraitCatalog) -> None:
    traits = _draw(pools, catalog).traits
    with pytest.raises(DataError, match="teapots"):
        recover_jung_order((*traits[:-1], "I collect teapots"), catalog)
    with pytest.raises(DataError, match="expected 20 trait statements, got 19"):
        recover_jung_order(traits[:-1], catalog)
    with pytest.raises(DataError, match="expected 4 level-1 statements"):
        recover_jung_order((traits[0], *traits[2:], traits[-1]), catalog)


# ---------------------------------------------------------------- fixed attributes


@pytest.mark.parametrize(
    ("key", "value", "field", "expected"),
    [
        ("occupation", "lighthouse keeper", "occupation", "lighthouse keeper"),
        ("family", "a commune", "family", "a commune"),
        ("education", "have earned a doctorate", "education", "have earned a doctorate"),
        ("long_term_goal", "sailing around the world", "long_term_goal", "sailing around the world"),
        ("hobbies", "chess, knitting ,judo", "hobbies", ("chess", "knitting", "judo")),
        ("short-term_goals", "a, b, c", "short_term_goals", ("a", "b", "c")),
        ("name", "Ada Byron", "name", "Ada Byron"),
    ],
)
def test_fixing_one_attribute_leaves_the_others(
    pools: AttributePools, catalog: TraitCatalog, key: str, value: str, field: str, expected: object
) -> None:
    for seed in (1, 2, 3):
        drawn, fixed = _draw(pools, catalog, seed=seed), _draw(pools, catalog, seed=seed, **{key: value})
        assert getattr(fixed, field) == expected
        assert Profile(**{**vars(fixed), field: getattr(drawn, field)}) == drawn


def test_dependent_values_follow_the_fixed_ones(pools: AttributePools, catalog: TraitCatalog) -> None:
    drawn = _draw(pools, catalog, seed=5)
    other = next(g for g in GENDERS if g != drawn.gender)
    by_gender = _draw(pools, catalog, seed=5, gender=other.upper())
    assert by_gender.gender == other and by_gender.name.split()[-1] == drawn.name.split()[-1]
    assert vars(by_gender) | {"gender": drawn.gender, "name": drawn.name} == vars(drawn)
    by_age = _draw(pools, catalog, seed=5, age="40")
    assert by_age.age == 40 and age_on(date.fromisoformat(by_age.date_of_birth), AS_OF) == 40
    by_birth = _draw(pools, catalog, seed=5, date_of_birth="1990-05-02")
    assert (by_birth.age, by_birth.date_of_birth) == (33, "1990-05-02")
    both = _draw(pools, catalog, seed=5, date_of_birth="1990-05-01", age="34")
    assert (both.age, both.traits, both.occupation) == (34, drawn.traits, drawn.occupation)
    with pytest.raises(ConfigError, match="gives age 33 on 2024-05-01, not the fixed age 34"):
        _draw(pools, catalog, date_of_birth="1990-05-02", age="34")


def test_a_fixed_jung_order_shapes_the_traits(pools: AttributePools, catalog: TraitCatalog) -> None:
    drawn = _draw(pools, catalog, seed=9)
    p = _draw(pools, catalog, seed=9, jung_order="fi, te ne si ni se ti fe")
    assert p.jung_order == ("Fi", "Te", "Ne", "Si", "Ni", "Se", "Ti", "Fe")
    assert recover_jung_order(p.traits, catalog) == p.jung_order
    assert vars(p) | {"traits": drawn.traits, "jung_order": drawn.jung_order} == vars(drawn)


@pytest.mark.parametrize(
    ("fixed", "message"),
    [
        ({"hair": "red"}, "unknown profile attribute.*hair.*valid keys: name, gender, age, date_of_birth"),
        ({"hobbies": "chess, judo"}, "3 distinct comma-separated items"),
        ({"hobbies": "chess, judo, Chess"}, "3 distinct"),
        ({"gender": "robot"}, "expected one of female, male, non-binary"),
        ({"age": "thirty"}, "whole number"),
        ({"date_of_birth": "01/02/1990"}, "YYYY-MM-DD"),
        ({"date_of_birth": "2030-01-01"}, "after the reference date"),
        ({"jung_order": "Ne,Ni,Se,Si,Te,Ti,Fe"}, "each of the 8 functions once"),
        ({"occupation": "  "}, "'occupation' is empty"),
    ],
)
def test_bad_fixed_values_are_rejected(
    pools: AttributePools, catalog: TraitCatalog, fixed: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        draw_profile(pools, catalog, seed=1, as_of=AS_OF, fixed=fixed)


def test_parse_assignments() -> None:
    assert parse_assignments(["occupation=chef", "Short-Term-Goals = a, b, c", "name=A=B"]) == {
        "occupation": "chef",
        "short_term_goals": "a, b, c",
        "name": "A=B",
    }
    assert set(FIXABLE) >= set(parse_assignments([f"{k}=x" for k in FIXABLE]))
    with pytest.raises(ConfigError, match=r"expected key=value, e\.g\. --set occupation=chef"):
        parse_assignments(["chef"])
    with pytest.raises(ConfigError, match="unknown attribute 'hair'; valid keys: name, gender"):
        parse_assignments(["hair=red"])
    with pytest.raises(ConfigError, match="given twice"):
        parse_assignments(["age=30", "age=31"])


# ---------------------------------------------------------------- JSON and card


def _mary_profile(shared_data_dir: Path) -> Profile:
    entries = json.loads((shared_data_dir / "LLMP/Characters/character_profiles.json").read_text(encoding="utf-8"))
    entry = next(e for e in entries if e["Name"] == "Mary Jones")
    extra = {"Jung_order": SPEC_ORDERS["Mary Jones"].split(), "Seed": 0, "As_of": "2023-12-31"}
    return Profile.from_json(entry | extra)


def test_basic_infos_and_traits_match_the_real_card(shared_data_dir: Path, store: HumanSimulacra) -> None:
    mary, real = _mary_profile(shared_data_dir), store.character("Mary Jones")
    assert mary.basic_infos() == real.basic_infos
    assert mary.personality_traits() == real.personality_traits.strip()
    card = mary.card(real.biography)
    assert list(card) == ["ID", "Name", "Personality_traits", "Basic_infos", "Extra", "Content"]
    assert Character.from_card(card) == dataclasses.replace(real, personality_traits=real.personality_traits.strip())


def test_the_card_of_a_drawn_profile_loads(pools: AttributePools, catalog: TraitCatalog) -> None:
    p = _draw(pools, catalog, seed=3)
    character = Character.from_card(p.card("Once upon a time.\n\nThe end.", {"Pet": "a cat"}))
    assert (character.name, character.id, character.biography) == (p.name, "100", "Once upon a time.\n\nThe end.")
    assert tuple(t.rstrip(".") for t in character.traits) == p.traits
    assert character.basic_information().endswith(f"Long-term Goal: {p.long_term_goal}, Pet: a cat.")


def test_json_round_trip(pools: AttributePools, catalog: TraitCatalog) -> None:
    p = _draw(pools, catalog, seed=4)
    data = p.to_json()
    assert list(data)[:13] == [
        "ID", "Gender", "Name", "Age", "Date_of_birth", "Photo", "Occupation", "Traits", "Hobbies", "Family",
        "Education", "Short-term_goals", "Long-term_goal",
    ]  # fmt: skip
    assert data["Photo"] == "NULL" and data["Hobbies"] == ", ".join(p.hobbies)
    assert Profile.from_json(json.loads(json.dumps(data))) == p


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"Age": None}, "profile.json: missing key 'Age'"),
        ({"Age": "29"}, "'Age' must be int, got str"),
        ({"Age": 30}, "age 30 does not match date of birth"),
        ({"Hobbies": "a, b"}, "'hobbies' must hold 3 items"),
        ({"Traits": "- I am."}, "'traits' must hold 20 statements, got 1"),
        ({"Jung_order": ["Ne"] * 8}, "'jung_order' must list each of"),
        ({"Gender": "robot"}, "gender 'robot'"),
        ({"Name": " "}, "'name' is empty"),
        ({"Date_of_birth": "27/06/1994"}, "'date_of_birth' must be a date as YYYY-MM-DD, got '27/06/1994'"),
    ],
)
def test_bad_profile_json_is_reported(
    pools: AttributePools, catalog: TraitCatalog, change: dict[str, object], message: str
) -> None:
    data = _draw(pools, catalog, seed=4).to_json() | change
    data = {k: v for k, v in data.items() if v is not None}
    with pytest.raises(MalformedDataFileError, match=message):
        Profile.from_json(data)
    with pytest.raises(MalformedDataFileError, match="expected a JSON object"):
        Profile.from_json([data], source="x/profile.json")
