"""Names are written and read by one module: every abbr it builds parses back to its parts."""

from __future__ import annotations

import pytest

from llmp_opencompass.names import (
    DatasetName,
    bandwagon_abbr,
    character_total_row,
    jung_abbr,
    method_of,
    model_abbr,
    observer_abbr,
    observer_unavailable_row,
    parse_dataset_abbr,
    selfreport_abbr,
)


@pytest.mark.parametrize(
    ("abbr", "parsed"),
    [
        (selfreport_abbr("mary_jones", "cloze"), DatasetName("selfreport", "mary_jones", None, "cloze")),
        (
            selfreport_abbr("kevin_kelly", "multiple_choices", "prompt-circular"),
            DatasetName("selfreport", "kevin_kelly", "prompt-circular", "multiple_choices"),
        ),
        (selfreport_abbr("nora", "single_choice"), DatasetName("selfreport", "nora", None, "single_choice")),
        (jung_abbr("mary_jones"), DatasetName("jung", "mary_jones")),
        (jung_abbr("mary_jones", "blank"), DatasetName("jung", "mary_jones", "blank")),
        (bandwagon_abbr("haley_collins", "control"), DatasetName("bandwagon", "haley_collins", condition="control")),
        (observer_abbr("haley_collins"), DatasetName("observer", "haley_collins")),
    ],
)
def test_every_dataset_abbr_parses_back(abbr: str, parsed: DatasetName) -> None:
    assert parse_dataset_abbr(abbr) == parsed


def test_formats_are_those_of_the_published_configs() -> None:
    assert selfreport_abbr("mary_jones", "cloze") == "llmp-mary_jones-cloze"
    assert selfreport_abbr("mary_jones", "cloze", "rag") == "llmp-rag-mary_jones-cloze"
    assert jung_abbr("mary_jones", "prompt") == "llmp-jung-prompt-mary_jones"
    assert bandwagon_abbr("mary_jones", "group") == "llmp-bandwagon-mary_jones-group"
    assert observer_unavailable_row("sara_ochoa") == "llmp-observer-sara_ochoa-unavailable"
    assert character_total_row("mary_jones") == "llmp-mary_jones-total"
    assert character_total_row("mary_jones", "blank") == "llmp-blank-mary_jones-total"
    assert model_abbr("prompt", "meta-llama/Llama-2-7b-chat-hf") == "prompt-meta-llama_Llama-2-7b-chat-hf"


def test_other_abbrs_are_not_ours_and_methods_come_from_variant_or_model() -> None:
    assert parse_dataset_abbr("gsm8k") is None and parse_dataset_abbr("llmp-mary_jones-essay") is None
    assert method_of("macm-smollm2") == "macm"
    assert method_of("hf-llama", parse_dataset_abbr("llmp-blank-mary_jones-cloze")) == "blank"
