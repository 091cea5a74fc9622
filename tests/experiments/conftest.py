"""Fixtures of the experiment tests: the shared data and its trait statements."""

from __future__ import annotations

from pathlib import Path

import pytest

from llmp_opencompass.data import HumanSimulacra
from llmp_opencompass.data.traits import TraitCatalog, load_traits


@pytest.fixture(scope="session")
def data_store(shared_data_dir: Path) -> HumanSimulacra:
    return HumanSimulacra(shared_data_dir)


@pytest.fixture(scope="session")
def catalog(data_store: HumanSimulacra) -> TraitCatalog:
    return load_traits(data_store)
