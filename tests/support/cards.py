"""A hand-made character card shared by the unit tests of the simulacra."""

from __future__ import annotations

from llmp_opencompass.data.records import Character

__all__ = ["CARD"]

CARD = Character(
    id="001",
    name="Mary Jones",
    basic_infos='""\nName: Mary Jones, Age: 29, Gender: female, Occupation: forestry worker.\n""\n',
    personality_traits="- I am a fan of extreme sports. - I like throwing parties. ",
    biography="Mary Jones was born on June 27, 1994.\n\nShe loves nature.",
    extra=(("Pet", "a dog named Rex"),),
)
