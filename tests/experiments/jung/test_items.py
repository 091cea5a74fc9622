"""The seeded item sample of the Jung test."""

from __future__ import annotations

from collections import Counter

import pytest

from llmp_opencompass.data.traits import TraitCatalog
from llmp_opencompass.errors import ConfigError
from llmp_opencompass.experiments.jung import jung_items, per_level_count, sample_seed


@pytest.mark.parametrize(("ratio", "per_level", "total"), [(1.0, 10, 640), (0.4, 4, 256), (0.3, 3, 192), (0.1, 1, 64)])
def test_ratio_sets_the_count_per_function_and_level(
    catalog: TraitCatalog, ratio: float, per_level: int, total: int
) -> None:
    items = jung_items(catalog, "Mary Jones", ratio)
    assert per_level_count(ratio) == per_level and len(items) == total
    counts = Counter((i.statement.function, i.statement.level) for i in items)
    assert set(counts.values()) == {per_level} and len(counts) == 64


def test_sample_is_reproducible_and_depends_on_the_character(catalog: TraitCatalog) -> None:
    mary = jung_items(catalog, "Mary Jones", 0.4)
    assert mary == jung_items(catalog, "Mary Jones", 0.4)
    assert mary != jung_items(catalog, "Robert Scott", 0.4)
    assert sample_seed("Mary Jones", "Ne", 1) != sample_seed("Mary Jones", "Ne", 2)
    assert all(i.score == i.statement.score for i in mary)


def test_full_ratio_asks_every_statement_once(catalog: TraitCatalog) -> None:
    assert tuple(i.statement for i in jung_items(catalog, "Mary Jones")) == catalog.statements


@pytest.mark.parametrize("ratio", [0.0, 0.05, -1.0, 1.5])
def test_bad_ratio_is_a_clear_error(ratio: float) -> None:
    with pytest.raises(ConfigError, match="ratio"):
        per_level_count(ratio)
