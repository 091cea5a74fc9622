"""``text_rows_dataset``: the dataset ``Dataset.from_list`` builds, named by the SHA-256 of its rows."""

from __future__ import annotations

from datasets import Dataset

from llmp_opencompass.adapters.rows import text_rows_dataset

ROWS = [
    {"system": "You are Mary.", "prompt": "Your name?", "item": '{"q": 1}', "reference": "é and ü"},
    {"system": "You are Mary.", "prompt": "Your age?", "item": '{"q": 2}', "reference": ""},
]


def test_same_columns_types_and_rows_as_from_list():
    ours, theirs = text_rows_dataset(ROWS), Dataset.from_list(ROWS)
    assert ours.column_names == theirs.column_names == list(ROWS[0])
    assert ours.features == theirs.features
    assert ours.to_list() == theirs.to_list() == ROWS


def test_named_by_the_rows():
    assert text_rows_dataset(ROWS)._fingerprint == text_rows_dataset([dict(r) for r in ROWS])._fingerprint
    changed = [ROWS[0], {**ROWS[1], "reference": "x"}]
    assert text_rows_dataset(changed)._fingerprint != text_rows_dataset(ROWS)._fingerprint


def test_no_rows():
    assert len(text_rows_dataset([])) == 0
