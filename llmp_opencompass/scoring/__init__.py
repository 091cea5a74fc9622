"""Answer parsing and scoring of the self-report questionnaires (pure; no OpenCompass).

See :mod:`llmp_opencompass.scoring.points` for the points and for how this differs
from the original evaluator, and the other modules for the parsing rules.
"""

from llmp_opencompass.scoring.answer import answer_segment
from llmp_opencompass.scoring.choice import parse_choices
from llmp_opencompass.scoring.cloze import match_cloze
from llmp_opencompass.scoring.points import POINTS_PER_UNIT, ItemScore, ScoreSummary, score_item, summarize

__all__ = [
    "POINTS_PER_UNIT",
    "ItemScore",
    "ScoreSummary",
    "answer_segment",
    "match_cloze",
    "parse_choices",
    "score_item",
    "summarize",
]
