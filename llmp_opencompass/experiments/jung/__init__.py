"""The Jung cognitive-function test: the automatic proxy of the observer report (pure; no OpenCompass).

- ``items``: the seeded sample of the 640 statements asked of a character.
- ``truth``: the character's true function order, from its own trait statements.
- ``metrics``: function scores, predicted order, Kendall tau, Spearman, top-1 match.

Statements come from :mod:`llmp_opencompass.data.traits`; replies are parsed by
:mod:`llmp_opencompass.scoring.agreement`.
"""

from .items import JungItem, jung_items, per_level_count, sample_seed
from .metrics import JungScore, function_scores, predicted_order, rank_correlations, score_test
from .truth import TRAIT_LAYOUT, TrueOrder, true_order

__all__ = [
    "TRAIT_LAYOUT",
    "JungItem",
    "JungScore",
    "TrueOrder",
    "function_scores",
    "jung_items",
    "per_level_count",
    "predicted_order",
    "rank_correlations",
    "sample_seed",
    "score_test",
    "true_order",
]
