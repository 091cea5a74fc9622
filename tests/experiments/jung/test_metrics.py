"""Function scores, predicted order and rank correlations of the Jung test."""

from __future__ import annotations

import math

import pytest

from llmp_opencompass.data.traits import FUNCTIONS, TraitCatalog
from llmp_opencompass.experiments.jung import (
    function_scores,
    jung_items,
    predicted_order,
    rank_correlations,
    score_test,
)
from llmp_opencompass.scoring.agreement import Agreement

MARY = ("Se", "Ti", "Fi", "Ni", "Te", "Si", "Ne", "Fe")


def _scores(order: tuple[str, ...]) -> dict[str, int]:
    return {f: len(order) - i for i, f in enumerate(order)}


def test_identical_reversed_and_top_two_swap() -> None:
    assert rank_correlations(_scores(MARY), MARY) == pytest.approx((1.0, 1.0))
    assert rank_correlations(_scores(MARY[::-1]), MARY) == pytest.approx((-1.0, -1.0))
    swapped = (MARY[1], MARY[0], *MARY[2:])
    tau, rho = rank_correlations(_scores(swapped), MARY)
    assert round(tau, 3) == 0.929 and rho == pytest.approx(1 - 6 * 2 / (8 * 63))


def test_equal_scores_have_no_correlation() -> None:
    tau, rho = rank_correlations(dict.fromkeys(FUNCTIONS, 0), MARY)
    assert math.isnan(tau) and math.isnan(rho)


def test_true_order_must_list_each_function_once() -> None:
    with pytest.raises(ValueError, match="each scored function once"):
        rank_correlations(_scores(MARY), (*MARY[:7], "Se"))


def _respond(catalog: TraitCatalog, order: tuple[str, ...], endorsed_level) -> list:
    items = jung_items(catalog, "Mary Jones", 0.4)
    position = {f: i + 1 for i, f in enumerate(order)}
    yes = [i.statement.level == endorsed_level(position[i.statement.function]) for i in items]
    return [(i, Agreement.YES if y else Agreement.NO) for i, y in zip(items, yes, strict=True)]


def test_respondent_at_its_true_levels_gets_tau_1(catalog: TraitCatalog) -> None:
    result = score_test(_respond(catalog, MARY, lambda p: p), MARY)
    assert result.kendall_tau == pytest.approx(1.0) and result.spearman == pytest.approx(1.0)
    assert result.predicted_order == MARY and result.top1_match == 1
    assert result.function_scores["Se"] == 4 * 4 and result.function_scores["Fe"] == -4 * 4
    assert (result.answered, result.unparsed) == (256, 0)


def test_reversed_respondent_gets_tau_minus_1(catalog: TraitCatalog) -> None:
    result = score_test(_respond(catalog, MARY, lambda p: 9 - p), MARY)
    assert result.kendall_tau == pytest.approx(-1.0) and result.predicted_order == MARY[::-1]
    assert result.top1_match == 0


def test_unparsed_and_no_add_nothing_and_ties_keep_file_order(catalog: TraitCatalog) -> None:
    items = jung_items(catalog, "Mary Jones", 0.1)
    answers = [(i, Agreement.UNPARSED if i.statement.function == "Ne" else Agreement.NO) for i in items]
    result = score_test(answers, MARY)
    assert result.function_scores == dict.fromkeys(FUNCTIONS, 0) and result.unparsed == 8
    assert result.predicted_order == FUNCTIONS and math.isnan(result.kendall_tau) and result.top1_match == 0


def test_each_yes_adds_its_level_score(catalog: TraitCatalog) -> None:
    items = [i for i in jung_items(catalog, "Mary Jones", 0.1) if i.statement.function == "Ti"]
    assert function_scores([(i, Agreement.YES) for i in items])["Ti"] == 4 + 3 + 2 + 1 - 1 - 2 - 3 - 4
    assert function_scores([(items[0], Agreement.YES), (items[7], Agreement.NO)])["Ti"] == 4
    assert predicted_order({**dict.fromkeys(FUNCTIONS, 0), "Fi": 1})[:3] == ("Fi", "Ne", "Ni")
