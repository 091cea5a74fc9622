"""Every name this package gives to datasets, models and summary rows: built and read here only.

The config builders name what they create with these functions, and the report and the
observer export read the names of a finished run back with :func:`parse_dataset_abbr`
and :func:`method_of`, so a format can never differ between writing and reading.

Datasets (``<slug>`` is the character's slug, e.g. ``mary_jones``):

- self-report: ``llmp-<slug>-<type>`` (our configs) or ``llmp-<variant>-<slug>-<type>``
  (the drop-in datasets; variants ``blank``, ``prompt``, ``rag``, ``blank-circular``,
  ``prompt-circular``), ``<type>`` one of ``cloze``, ``single_choice``, ``multiple_choices``;
- Jung test: ``llmp-jung-<slug>`` or ``llmp-jung-<variant>-<slug>`` (drop-in ``blank``, ``prompt``);
- bandwagon: ``llmp-bandwagon-<slug>-<condition>`` (``group`` or ``control``);
- observer: ``llmp-observer-<slug>``.

Models: ``<method>-<served model>`` (``prompt-gpt-4o-mini``): all the models of a method
share it, so that the summary has one column per method.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "PREFIX",
    "SELFREPORT_TYPES",
    "SELFREPORT_VARIANTS",
    "JUNG_VARIANTS",
    "BANDWAGON_CONDITIONS",
    "DatasetName",
    "Experiment",
    "bandwagon_abbr",
    "character_total_row",
    "jung_abbr",
    "method_of",
    "model_abbr",
    "observer_abbr",
    "observer_unavailable_row",
    "parse_dataset_abbr",
    "selfreport_abbr",
]

PREFIX = "llmp"
"""First part of every dataset abbr and summary row of this package."""
SELFREPORT_TYPES: tuple[str, ...] = ("cloze", "single_choice", "multiple_choices")
"""Slugs of the scored questionnaire types, in the paper's order."""
SELFREPORT_VARIANTS: tuple[str, ...] = ("blank", "prompt", "rag", "blank-circular", "prompt-circular")
"""Variants of the drop-in self-report datasets."""
JUNG_VARIANTS: tuple[str, ...] = ("blank", "prompt")
"""Variants of the drop-in Jung datasets."""
BANDWAGON_CONDITIONS: tuple[str, ...] = ("group", "control")
"""Conditions of the bandwagon experiment."""

Experiment = Literal["selfreport", "jung", "bandwagon", "observer"]

_SLUG = r"(?P<slug>[a-z0-9_]+)"
_PATTERNS: tuple[tuple[Experiment, re.Pattern[str]], ...] = (
    ("jung", re.compile(rf"^{PREFIX}-jung-(?:(?P<variant>{'|'.join(JUNG_VARIANTS)})-)?{_SLUG}$")),
    ("bandwagon", re.compile(rf"^{PREFIX}-bandwagon-{_SLUG}-(?P<condition>{'|'.join(BANDWAGON_CONDITIONS)})$")),
    ("observer", re.compile(rf"^{PREFIX}-observer-{_SLUG}$")),
    (
        "selfreport",
        re.compile(
            rf"^{PREFIX}-(?:(?P<variant>{'|'.join(map(re.escape, SELFREPORT_VARIANTS))})-)?{_SLUG}"
            rf"-(?P<type>{'|'.join(SELFREPORT_TYPES)})$"
        ),
    ),
)


@dataclass(frozen=True)
class DatasetName:
    """What a dataset abbr of this package says."""

    experiment: Experiment
    """Which experiment the dataset belongs to."""
    slug: str
    """The character's slug."""
    variant: str | None = None
    """The drop-in variant (``prompt``, ``blank-circular``, ...); None for our configs' datasets."""
    qtype: str | None = None
    """Self-report: the questionnaire type slug."""
    condition: str | None = None
    """Bandwagon: ``group`` or ``control``."""


def selfreport_abbr(slug: str, type_slug: str, variant: str | None = None) -> str:
    """``llmp-mary_jones-cloze``, or with a drop-in variant ``llmp-prompt-mary_jones-cloze``."""
    return f"{_prefix(variant)}-{slug}-{type_slug}"


def jung_abbr(slug: str, variant: str | None = None) -> str:
    """``llmp-jung-mary_jones``, or with a drop-in variant ``llmp-jung-prompt-mary_jones``."""
    return f"{PREFIX}-jung-{variant}-{slug}" if variant else f"{PREFIX}-jung-{slug}"


def bandwagon_abbr(slug: str, condition: str) -> str:
    """``llmp-bandwagon-mary_jones-group``."""
    return f"{PREFIX}-bandwagon-{slug}-{condition}"


def observer_abbr(slug: str) -> str:
    """``llmp-observer-mary_jones``."""
    return f"{PREFIX}-observer-{slug}"


def observer_unavailable_row(slug: str) -> str:
    """The summary row marking a character without Open-Ended items."""
    return f"{observer_abbr(slug)}-unavailable"


def character_total_row(slug: str, variant: str | None = None) -> str:
    """The summary row of a character's self-report points out of 50: ``llmp-mary_jones-total``."""
    return f"{_prefix(variant)}-{slug}-total"


def model_abbr(method: str, served_model: str) -> str:
    """``prompt-gpt-4o-mini``; characters unsafe in a path are replaced by ``_``."""
    return f"{method}-{re.sub(r'[^A-Za-z0-9._-]+', '_', served_model)}"


def method_of(model: str, dataset: DatasetName | None = None) -> str:
    """The method a result belongs to: a drop-in dataset's variant (whatever the model),
    else the first part of our model abbr (``prompt-gpt-4o-mini`` -> ``prompt``)."""
    if dataset is not None and dataset.variant:
        return dataset.variant
    return model.split("-", 1)[0]


def parse_dataset_abbr(abbr: str) -> DatasetName | None:
    """The parts of one of this package's dataset abbrs; None for any other abbr."""
    for experiment, pattern in _PATTERNS:
        match = pattern.match(abbr)
        if match:
            groups = match.groupdict()
            return DatasetName(
                experiment, groups["slug"], groups.get("variant"), groups.get("type"), groups.get("condition")
            )
    return None


def _prefix(variant: str | None) -> str:
    return f"{PREFIX}-{variant}" if variant else PREFIX
