"""Reading an OpenCompass run: its directory, and each ``results/<model>/<dataset>.json``.

No OpenCompass import: the files are plain JSON (OpenCompass writes NaN as ``NaN``,
which :mod:`json` reads). The ``details`` of a result are dropped; numeric fields
become ``metrics`` and the other fields (e.g. the Jung ``profile``) ``extra``.

What a run should have produced comes from the config OpenCompass dumped into
``<run>/configs/`` (read with mmengine, OpenCompass's config library): every
(model, dataset) pair it evaluates, so that a pair whose task failed and left no result
file is reported as missing instead of silently left out.

Names are read with :mod:`llmp_opencompass.names`, the module that also writes them. A
result's *method* is the variant in its dataset abbr for the drop-in datasets
(``llmp-prompt-mary_jones-cloze`` -> ``prompt``, whatever the model), else the part of the
model abbr before the first ``-`` (``prompt-gpt-4o-mini`` -> ``prompt``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..errors import LlmpError
from ..names import DatasetName, method_of, parse_dataset_abbr
from ..workdir import find_run_dir

__all__ = [
    "DatasetResult",
    "ReportError",
    "expected_pairs",
    "find_run_dir",
    "read_results",
]

class ReportError(LlmpError):
    """A work directory that cannot be reported on (the message says why and what to pass)."""


@dataclass(frozen=True)
class DatasetResult:
    """One ``results/<model>/<dataset>.json`` of a run."""

    model: str
    """The model abbr (directory name), e.g. ``prompt-gpt-4o-mini``."""
    dataset: str
    """The dataset abbr (file stem), e.g. ``llmp-mary_jones-cloze``."""
    metrics: Mapping[str, float]
    """Numeric fields (NaN kept: it means "not computable", never 0)."""
    extra: Mapping[str, object]
    """Other fields except ``details`` (e.g. ``profile``, ``csv_path``)."""

    @property
    def name(self) -> DatasetName | None:
        """What the dataset abbr says (experiment, character slug, variant...); None if not ours."""
        return parse_dataset_abbr(self.dataset)

    @property
    def variant(self) -> str | None:
        """The drop-in variant in the dataset abbr (``prompt``, ``blank-circular``, ...), else None."""
        return self.name.variant if self.name else None

    @property
    def method(self) -> str:
        """The drop-in variant of the dataset, else the model abbr's first part."""
        return method_of(self.model, self.name)

    @property
    def column(self) -> str:
        """Table column: ``method (model)`` for drop-in datasets, else the model abbr."""
        return f"{self.method} ({self.model})" if self.variant else self.model

    def metric(self, name: str) -> float:
        """A numeric field, NaN when absent."""
        return float(self.metrics.get(name, math.nan))


def read_results(run_dir: Path) -> tuple[DatasetResult, ...]:
    """Every result of a run, sorted by model and dataset.

    Raises:
        ReportError: the run has no result file (its tasks failed or did not run).
    """
    paths = sorted(run_dir.glob("results/*/*.json"))
    if not paths:
        raise ReportError(
            f"{run_dir} has no results/<model>/<dataset>.json: the evaluation did not run or its tasks failed "
            f"(see {run_dir / 'logs'}); rerun with `opencompass CONFIG -r` to finish it"
        )
    return tuple(_read(path) for path in paths)


def expected_pairs(run_dir: Path) -> frozenset[tuple[str, str]] | None:
    """The (model abbr, dataset abbr) pairs the run's dumped config evaluates; None when the
    run has no readable config (then nothing can be said to be missing)."""
    configs = sorted((run_dir / "configs").glob("*.py"))
    if not configs:
        return None
    from mmengine.config import Config  # only here: the rest of the report needs no config library

    try:
        config = Config.fromfile(str(configs[-1]))
    except Exception:  # a config that cannot be read only costs the "missing" check
        return None
    combinations = config.get("model_dataset_combinations") or [
        {"models": config.get("models", []), "datasets": config.get("datasets", [])}
    ]
    return frozenset(
        (str(model["abbr"]), str(dataset["abbr"]))
        for combination in combinations
        for model in combination["models"]
        for dataset in combination["datasets"]
        if model.get("abbr") and dataset.get("abbr")
    )


def _read(path: Path) -> DatasetResult:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ReportError(f"{path} is not a readable result file: {exc}") from exc
    if not isinstance(raw, dict):
        raise ReportError(f"{path}: expected a JSON object of metrics")
    raw.pop("details", None)
    metrics = {k: float(v) for k, v in raw.items() if isinstance(v, int | float) and not isinstance(v, bool)}
    extra = {k: v for k, v in raw.items() if k not in metrics}
    return DatasetResult(model=path.parent.name, dataset=path.stem, metrics=metrics, extra=extra)
