"""Yes / no / unparsed at word level."""

from __future__ import annotations

import pytest

from llmp_opencompass.scoring.agreement import Agreement, first_sentence, parse_agreement

YES, NO, UNPARSED = Agreement.YES, Agreement.NO, Agreement.UNPARSED


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ("Yes.", YES),
        ("YES, that's me.", YES),
        ("Yeah, pretty much.", YES),
        ("I agree.", YES),
        ("Honestly? I couldn't agree more.", YES),
        ("Yes. I have no fear of heights at all.", YES),
        ("As Mary, I'd say yes", YES),
        ("No.", NO),
        ("Nope, not me.", NO),
        ("I disagree.", NO),
        ("Not really.", NO),
        ("I don't agree with that.", NO),
        ("I do not really agree", NO),
        ("Not at all, Alice.", NO),
        ("Hmm. No, I wouldn't say so.", NO),
        ("My eyes are tired.", UNPARSED),
        ("I saw it yesterday.", UNPARSED),
        ("yes... no", UNPARSED),
        ("Yes and no, it depends.", UNPARSED),
        ("I'd say yes, but also no", UNPARSED),
        ("It depends on the day.", UNPARSED),
        ("", UNPARSED),
        ("No doubt about it, yes.", YES),
        ("No one has ever asked me that. I think yes.", YES),
        ("Hmm, let me think.\nYes.", YES),
    ],
)
def test_parse_agreement(reply: str, expected: Agreement) -> None:
    assert parse_agreement(reply) is expected


def test_first_sentence_ignores_ellipsis() -> None:
    assert first_sentence("yes... no. Then more.") == "yes... no"
    assert first_sentence("Yes! Sure.") == "Yes"
