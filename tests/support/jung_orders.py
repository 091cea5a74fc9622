"""The true function orders of the 11 dataset characters (human-simulacra-spec.md, section 1.8;
the table the original hard-coded in its Jung script)."""

SPEC_ORDERS = {
    "Marsh Zhaleh": "Ne Fe Ni Te Ti Fi Se Si",
    "Mary Jones": "Se Ti Fi Ni Te Si Ne Fe",
    "Sara Ochoa": "Ni Ti Te Fe Fi Ne Se Si",
    "Tami Clark": "Se Fi Ne Ti Ni Fe Te Si",
    "Michael Miller": "Si Fi Fe Ne Ti Ni Se Te",
    "Haley Collins": "Si Te Ne Ti Se Fe Ni Fi",
    "James Jones": "Ne Fi Fe Ni Se Ti Te Si",
    "Kevin Kelly": "Si Ti Ni Ne Fe Te Fi Se",
    "Erica Walker": "Se Fe Ne Fi Ni Si Ti Te",
    "Leslie Nichols": "Se Te Ne Ni Si Fe Ti Fi",
    "Robert Scott": "Ne Ti Si Fe Se Fi Te Ni",
}
