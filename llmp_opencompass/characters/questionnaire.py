"""The self-report questionnaire of a new character, in the upstream ``Questions/<Type>.json`` format.

Each type holds 5 records ``{"type", "question", "options", "answer"}`` (every answer a
list), like the dataset's:

- ``Cloze``: name, gender, age, birthday (YYYY-MM-DD) and line of work, answered from the profile;
- ``Single_choice``: family, education and long-term goal, each the truth plus 3 distractors
  from its pool (4 labelled options, one answer letter); items 4-5 are templates;
- ``Multiple_choices``: hobbies and short-term goals, each 3 true plus 3 pool distractors
  (6 labelled options, 3 sorted answer letters); items 3-5 are templates;
- ``Open-Ended``: 5 empty placeholders.

**Templates.** Items about the life story need a person who has read it. They are written
with the question "TODO: ..." and options "A. TODO", ... and an empty answer; a person
completes each one or deletes it. :func:`is_template` recognises them and
``validate.validate_folder`` reports every one left, by file and item number. (The runtime
loader would reject them anyway, as a choice item without an answer letter.)

**Open-Ended** items are not scored automatically and the loader skips items with an
empty question, so they are written as the upstream placeholders (question "", options
[""], answer [""]) rather than "TODO" templates: a "TODO" question would be loaded and
asked as if it were a real scenario. Write scenarios into them to use the observer report.

Distractors are drawn and options shuffled with ``random.Random(seed)``, in a fixed order.
"""

from __future__ import annotations

import json
import random
import string
from collections.abc import Mapping, Sequence
from pathlib import Path

from ..data.layout import CharacterFolder
from ..data.records import QuestionType
from ..errors import ConfigError
from ..files import write_text_atomic
from .attribute_pools import AttributePools
from .profile import Profile

__all__ = [
    "ITEMS_PER_TYPE",
    "TEMPLATE_MARK",
    "build_questionnaire",
    "is_template",
    "write_questionnaire",
]

ITEMS_PER_TYPE = 5
"""Records per questionnaire file, as in the dataset."""
TEMPLATE_MARK = "TODO"
"""How a template item's question starts (and what its options say) until a person completes it."""

_SINGLE_OPTIONS, _MULTIPLE_OPTIONS, _MULTIPLE_TRUE = 4, 6, 3

_CLOZE = (
    "Please tell me your full name.",
    "What is your gender?",
    "How many years old are you?",
    "On which date were you born? Please give it as YYYY-MM-DD.",
    "What do you do for a living?",
)
_SINGLE = (
    "Which of these describes the family you grew up in?",
    "Which of these best describes your schooling?",
    "Which of these is the goal you are working towards in the long run?",
)
_MULTIPLE = (
    "Which three of these are your hobbies?",
    "Which three of these are goals you want to reach soon?",
)
_SINGLE_TEMPLATE = f"{TEMPLATE_MARK}: a question about a fact of the life story, with exactly one true option"
_MULTIPLE_TEMPLATE = f"{TEMPLATE_MARK}: a question about facts of the life story, with exactly three true options"

Record = dict[str, object]


def is_template(record: Mapping[str, object]) -> bool:
    """True for an item still to be written by a person (its question starts with "TODO")."""
    question = record.get("question")
    return isinstance(question, str) and question.strip().upper().startswith(TEMPLATE_MARK)


def build_questionnaire(profile: Profile, pools: AttributePools, *, seed: int) -> dict[str, list[Record]]:
    """The four questionnaires of a profile, keyed by ``QuestionType.value`` (see the module docstring).

    Raises:
        ConfigError: a pool has too few items besides the profile's own to give 3 distractors.
    """
    rng = random.Random(seed)
    cloze = [
        profile.name,
        profile.gender.capitalize(),
        str(profile.age),
        profile.date_of_birth,
        profile.occupation[:1].upper() + profile.occupation[1:],
    ]
    single = [
        _choice(QuestionType.SINGLE_CHOICE, _SINGLE[0], [profile.family], pools.families, "family", rng),
        _choice(QuestionType.SINGLE_CHOICE, _SINGLE[1], [profile.education], pools.educations, "education", rng),
        _choice(
            QuestionType.SINGLE_CHOICE, _SINGLE[2], [profile.long_term_goal], pools.long_term_goals,
            "long-term_goals", rng,
        ),
    ]  # fmt: skip
    multiple = [
        _choice(QuestionType.MULTIPLE_CHOICES, _MULTIPLE[0], profile.hobbies, pools.hobbies, "hobbies", rng),
        _choice(
            QuestionType.MULTIPLE_CHOICES, _MULTIPLE[1], profile.short_term_goals, pools.short_term_goals,
            "short-term_goals", rng,
        ),
    ]  # fmt: skip
    return {
        QuestionType.CLOZE.value: [
            _record(QuestionType.CLOZE, q, [""], [a]) for q, a in zip(_CLOZE, cloze, strict=True)
        ],
        QuestionType.SINGLE_CHOICE.value: single + _templates(QuestionType.SINGLE_CHOICE, len(single)),
        QuestionType.MULTIPLE_CHOICES.value: multiple + _templates(QuestionType.MULTIPLE_CHOICES, len(multiple)),
        QuestionType.OPEN_ENDED.value: [
            _record(QuestionType.OPEN_ENDED, "", [""], [""]) for _ in range(ITEMS_PER_TYPE)
        ],
    }


def write_questionnaire(
    folder: CharacterFolder, questionnaire: Mapping[str, Sequence[Mapping[str, object]]], *, overwrite: bool = False
) -> tuple[Path, ...]:
    """Write ``Questions/<Type>.json`` for each type (indent 4, UTF-8 as is); returns the paths.

    Raises:
        ConfigError: a key is not a question type, or a file exists and ``overwrite`` is off
            (nothing is written then).
    """
    valid = [t.value for t in QuestionType]
    unknown = [key for key in questionnaire if key not in valid]
    if unknown:
        raise ConfigError(f"unknown questionnaire type(s) {', '.join(unknown)}; valid: {', '.join(valid)}")
    paths = {key: folder.questions(key) for key in questionnaire}
    existing = [str(path) for path in paths.values() if path.exists()]
    if existing and not overwrite:
        raise ConfigError(
            f"{', '.join(existing)} already exist(s); pass --force (overwrite=True) to replace "
            "the questionnaire, which discards the items completed by hand"
        )
    folder.questions_dir.mkdir(parents=True, exist_ok=True)
    for key, path in paths.items():
        write_text_atomic(path, json.dumps(list(questionnaire[key]), indent=4, ensure_ascii=False) + "\n")
    return tuple(paths.values())


def _record(qtype: QuestionType, question: str, options: list[str], answer: list[str]) -> Record:
    return {"type": qtype.value, "question": question, "options": options, "answer": answer}


def _choice(
    qtype: QuestionType, question: str, truths: Sequence[str], pool: Sequence[str], pool_name: str, rng: random.Random
) -> Record:
    """Truths plus distractors from ``pool`` (never equal to a truth), shuffled and labelled."""
    count = _SINGLE_OPTIONS if qtype is QuestionType.SINGLE_CHOICE else _MULTIPLE_OPTIONS
    taken = {_norm(t) for t in truths}
    candidates = [item for item in pool if _norm(item) not in taken]
    wanted = count - len(truths)
    if len(candidates) < wanted:
        raise ConfigError(
            f"Attributes/{pool_name}.txt has {len(candidates)} item(s) besides the character's own; "
            f"{wanted} distractors are needed: add items to the pool"
        )
    options = [*truths, *rng.sample(candidates, wanted)]
    rng.shuffle(options)
    letters = string.ascii_uppercase
    answer = sorted(letters[options.index(t)] for t in truths)
    return _record(qtype, question, [f"{letters[i]}. {o}" for i, o in enumerate(options)], answer)


def _templates(qtype: QuestionType, filled: int) -> list[Record]:
    count, question = (
        (_SINGLE_OPTIONS, _SINGLE_TEMPLATE)
        if qtype is QuestionType.SINGLE_CHOICE
        else (_MULTIPLE_OPTIONS, _MULTIPLE_TEMPLATE)
    )
    options = [f"{letter}. {TEMPLATE_MARK}" for letter in string.ascii_uppercase[:count]]
    return [_record(qtype, question, list(options), []) for _ in range(ITEMS_PER_TYPE - filled)]


def _norm(text: str) -> str:
    return " ".join(text.lower().split())
