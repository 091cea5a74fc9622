"""Ground-truth function orders derived from the characters' trait statements."""

from __future__ import annotations

import dataclasses

import pytest

from llmp_opencompass.data import HumanSimulacra
from llmp_opencompass.data.traits import TraitCatalog
from llmp_opencompass.errors import DataError
from llmp_opencompass.experiments.jung import true_order
from tests.support.jung_orders import SPEC_ORDERS


@pytest.mark.parametrize("name", sorted(SPEC_ORDERS))
def test_derived_order_matches_the_spec_table(data_store: HumanSimulacra, catalog: TraitCatalog, name: str) -> None:
    truth = true_order(data_store.character(name), catalog)
    assert " ".join(truth.order) == SPEC_ORDERS[name]
    assert truth.position(truth.order[0]) == 1


def test_irregular_statements_are_noted(data_store: HumanSimulacra, catalog: TraitCatalog) -> None:
    tami = true_order(data_store.character("Tami Clark"), catalog)
    assert any("hunches are right about half the time" in note for note in tami.notes)
    michael = true_order(data_store.character("Michael Miller"), catalog)
    assert any("placed by their level" in note for note in michael.notes)
    assert true_order(data_store.character("Mary Jones"), catalog).notes == ()


def test_traits_outside_the_pattern_are_an_error(data_store: HumanSimulacra, catalog: TraitCatalog) -> None:
    mary = data_store.character("Mary Jones")
    unknown = dataclasses.replace(mary, personality_traits=mary.personality_traits + " - I collect teapots.")
    with pytest.raises(DataError, match="teapots"):
        true_order(unknown, catalog)
    first_four = " ".join(f"- {t}" for t in mary.traits[:4])
    doubled = dataclasses.replace(mary, personality_traits=f"{first_four} {mary.personality_traits}")
    with pytest.raises(DataError, match="expected 4 level-1 statements"):
        true_order(doubled, catalog)
