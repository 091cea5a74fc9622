"""Fixtures of the character-making tests: the dataset, its trait statements and attribute pools."""

from __future__ import annotations

from pathlib import Path

import pytest

from llmp_opencompass.characters.attribute_pools import AttributePools
from llmp_opencompass.data import HumanSimulacra
from llmp_opencompass.data.traits import TraitCatalog, load_traits


@pytest.fixture(scope="session")
def store(shared_data_dir: Path) -> HumanSimulacra:
    return HumanSimulacra(shared_data_dir)


@pytest.fixture(scope="session")
def catalog(store: HumanSimulacra) -> TraitCatalog:
    return load_traits(store)


@pytest.fixture(scope="session")
def pools(store: HumanSimulacra) -> AttributePools:
    return AttributePools.from_store(store)
