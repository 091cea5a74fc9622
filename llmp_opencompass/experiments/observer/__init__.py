"""The observer report's Open-Ended answers (pure; no OpenCompass).

- ``items``: the situational-judgement items (upstream or user-supplied) and their framing.
- ``export``: the answers of a run as a CSV for human raters.
- ``judge``: the optional LLM judge, its rubric and its rating parser.
"""

from .export import CSV_COLUMNS, ObserverAnswer, find_run_dir, read_answers, write_answers_csv
from .items import OPEN_ENDED_FILE, frame_open_ended, open_ended_items, parse_open_ended, user_items_path
from .judge import (
    JUDGE_TEMPLATE,
    JudgeVerdict,
    character_card,
    judge_messages,
    judge_template_sha256,
    parse_rating,
    rate_answer,
)

__all__ = [
    "CSV_COLUMNS",
    "JUDGE_TEMPLATE",
    "OPEN_ENDED_FILE",
    "JudgeVerdict",
    "ObserverAnswer",
    "character_card",
    "find_run_dir",
    "frame_open_ended",
    "judge_messages",
    "judge_template_sha256",
    "open_ended_items",
    "parse_open_ended",
    "parse_rating",
    "rate_answer",
    "read_answers",
    "user_items_path",
    "write_answers_csv",
]
