"""Prompt templates: every file renders, and fields are checked."""

from __future__ import annotations

from importlib import resources

import pytest

from llmp_opencompass.prompts import fields, render

NAMES = sorted(p.name[:-4] for p in resources.files("llmp_opencompass.prompts").iterdir() if p.name.endswith(".txt"))


@pytest.mark.parametrize("name", NAMES)
def test_every_template_renders(name: str) -> None:
    text = render(name, **{f: f"<{f}>" for f in fields(name)})
    assert text and all(f"<{f}>" in text for f in fields(name))


def test_missing_and_unknown_fields_are_refused() -> None:
    with pytest.raises(KeyError, match=r"missing \['question'\]"):
        render("selfreport_cloze")
    with pytest.raises(KeyError, match=r"unexpected \['colour'\]"):
        render("selfreport_cloze", question="Q?", colour="red")
