"""Text rows as a ``datasets.Dataset``, named by their content.

``Dataset.from_list`` names a new dataset by hashing all of it through dill (the
fingerprint that keys HF's caching of transforms): about 40 ms for one questionnaire, a
third of the time a task takes to build its dataset, paid for each of a run's datasets in
each task process that builds it (``configs/llmp_all.py`` builds 132 in inference and
again in evaluation). :func:`text_rows_dataset` builds the same dataset (same columns,
types and rows) named by the SHA-256 of the rows, which identifies them as exactly.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence

from datasets import Dataset
from datasets.table import InMemoryTable

__all__ = ["text_rows_dataset"]


def text_rows_dataset(rows: Sequence[Mapping[str, str]]) -> Dataset:
    """What ``Dataset.from_list(rows)`` gives for rows of text (the columns of the first row)."""
    if not rows:
        return Dataset.from_list([])
    columns = list(rows[0])
    values = {column: [str(row[column]) for row in rows] for column in columns}
    digest = hashlib.sha256(json.dumps(values, ensure_ascii=False).encode("utf-8")).hexdigest()
    return Dataset(InMemoryTable.from_pydict(values), fingerprint=digest)
