"""Parsing the 640 personality statements of Attributes/traits.txt."""

from __future__ import annotations

import pytest

from llmp_opencompass.data import HumanSimulacra
from llmp_opencompass.data.traits import (
    FUNCTIONS,
    LEVEL_SCORES,
    TraitCatalog,
    load_traits,
    parse_traits,
    statement_key,
)
from llmp_opencompass.errors import MalformedDataFileError


@pytest.fixture(scope="module")
def catalog(store: HumanSimulacra) -> TraitCatalog:
    return load_traits(store)


def _file(line: str = "S1. S2. S3. S4. S5. S6. S7. S8. S9. S10.", final_newline: bool = True) -> str:
    lines = [x for f in FUNCTIONS for x in (f, *([line] * 8))]
    return "\n".join(lines) + ("\n" if final_newline else "")


def test_upstream_file_gives_640_statements_10_per_level(catalog: TraitCatalog) -> None:
    assert len(catalog.statements) == 640
    for function in FUNCTIONS:
        for level in range(1, 9):
            statements = catalog.at(function, level)
            assert [s.number for s in statements] == list(range(1, 11))
            assert all(s.text and not s.text.endswith(".") for s in statements)
    assert len({statement_key(s.text) for s in catalog.statements}) == 640


def test_upstream_defects_are_reported_and_repaired(catalog: TraitCatalog) -> None:
    notes = "\n".join(catalog.notes)
    assert "line 38: 1 empty piece" in notes and "line 56: 1 empty piece" in notes
    assert "no final newline" in notes
    assert catalog.statements[-1].text == "I seldom associate natural beauty with romantic sentiments"  # not clipped
    assert catalog.at("Te", 1)[-1].text.endswith("I will change it")


def test_first_statement_and_level_scores(catalog: TraitCatalog) -> None:
    first = catalog.statements[0]
    assert (first.function, first.level, first.number) == ("Ne", 1, 1)
    assert first.text == "I imagined raising a unicorn as a pet when I was a child"
    assert (
        [catalog.at("Fi", level)[0].score for level in range(1, 9)]
        == list(LEVEL_SCORES)
        == [4, 3, 2, 1, -1, -2, -3, -4]
    )


def test_clean_file_has_no_notes_and_trailing_separator_is_dropped() -> None:
    assert parse_traits(_file()).notes == ()
    catalog = parse_traits(_file("A. B. C. D. E. F. G. H. I. J. "))
    assert [s.text for s in catalog.at("Ne", 1)] == list("ABCDEFGHIJ")
    assert len(catalog.notes) == 64


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (_file().replace("Ni\n", "Nx\n", 1), "line 10: expected the code 'Ni'"),
        (_file("A. B. C"), "line 2: expected 10 statements, found 3"),
        ("Ne\nA. B.", "expected 72 lines"),
    ],
)
def test_malformed_files_name_the_line(text: str, message: str) -> None:
    with pytest.raises(MalformedDataFileError, match=message):
        parse_traits(text, source="traits.txt")


def test_statement_key_ignores_case_dash_period_and_curly_apostrophes() -> None:
    assert statement_key("- I avoid debating or critiquing others’ opinions.") == statement_key(
        "i avoid  debating or critiquing others' OPINIONS"
    )
