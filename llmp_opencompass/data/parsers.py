"""Pure parsers of the upstream Human Simulacra files into the records of ``records.py``.

Each parser takes the decoded JSON (or text) of one file, never a path to read, so
``HumanSimulacra`` (``store.py``) and the folder checks of ``characters`` apply the same
rules. ``path`` only names the file in errors, which say what is wrong with it.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ..errors import MalformedDataFileError
from .records import LongTermMemory, MemoryEntry, Question, QuestionType, Story

__all__ = ["parse_memory", "parse_questions", "parse_story"]

_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def parse_story(text: str, character: str) -> Story:
    """A ``Stories/<Name>/<Name>.txt`` text as a ``Story``, one paragraph per non-empty line."""
    return Story(character=character, paragraphs=tuple(p for p in map(str.strip, text.splitlines()) if p))


def parse_memory(index: Mapping[object, object], long_memory: object, character: str, path: Path) -> LongTermMemory:
    """The JSON of ``index.json`` and ``long_memory.json`` as a ``LongTermMemory``, with the runtime loader's rules."""
    if not isinstance(long_memory, Mapping):
        raise MalformedDataFileError(f"{path}: expected an object of memories")
    if set(index) != set(long_memory):
        odd = sorted(map(str, set(index) ^ set(long_memory)))
        raise MalformedDataFileError(f"{path}: keys differ from index.json beside it: {', '.join(odd)}")
    entries = []
    for key in sorted(map(str, long_memory)):
        item = long_memory[key]
        try:
            memory = item["Memory"]
            entries.append(
                MemoryEntry(
                    key=key,
                    summary=_str(item["Memory_Summary"]),
                    content=_str(memory["Memory Content"]),
                    thinking=_str(memory["Thinking"]),
                    emotion=_str(memory["Emotion"]),
                )
            )
        except (KeyError, TypeError) as exc:
            raise MalformedDataFileError(f"{path}, memory {key!r}: missing or wrong field {exc}") from exc
    return LongTermMemory(character=character, entries=tuple(entries))


def _str(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected a string, got {type(value).__name__}")
    return value


def parse_questions(data: object, character: str, qtype: QuestionType, path: Path) -> tuple[Question, ...]:
    """One questionnaire file's JSON as ``Question`` records, with the runtime loader's rules."""
    if not isinstance(data, list):
        raise MalformedDataFileError(f"{path}: expected a list of questions")
    questions = []
    for number, item in enumerate(data, start=1):
        try:
            question = _parse_question(item, character, qtype, number)
        except (KeyError, TypeError, ValueError) as exc:
            raise MalformedDataFileError(f"{path}, item {number}: {exc}") from exc
        if question.text:
            questions.append(question)
    return tuple(questions)


def _parse_question(item: object, character: str, qtype: QuestionType, number: int) -> Question:
    if not isinstance(item, Mapping):
        raise TypeError(f"expected an object, got {type(item).__name__}")
    if item.get("type", qtype.value) != qtype.value:
        raise ValueError(f"type {item.get('type')!r} does not match the file's type {qtype.value!r}")
    text = _str(item["question"]).strip()
    options = tuple(_str(o) for o in item.get("options") or ())
    answer = tuple(_str(a).strip() for a in item.get("answer") or () if _str(a).strip())
    if not qtype.is_choice:
        if qtype is QuestionType.CLOZE and text and not answer:
            raise ValueError("a Cloze item needs at least one accepted answer")
        return Question(character=character, type=qtype, number=number, text=text, answer=answer)
    _check_choice(options, answer, qtype)
    texts, gold = _merge_duplicates(tuple(Question.strip_label(o) for o in options), answer)
    return Question(character=character, type=qtype, number=number, text=text, options=texts, answer=gold)


def _merge_duplicates(options: tuple[str, ...], answer: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Show an option text that appears twice once (upstream, Leslie Nichols's first
    Multiple_choices item lists "playing football" as C and D with only C gold, so the
    two identical options could not be told apart); the merged option is gold if either was."""
    first: dict[str, int] = {}
    for i, text in enumerate(options):
        first.setdefault(" ".join(text.lower().split()), i)
    kept = sorted(first.values())
    if len(kept) == len(options):
        return options, tuple(a.upper() for a in answer)
    position = {i: kept.index(first[" ".join(t.lower().split())]) for i, t in enumerate(options)}
    gold = sorted({_LETTERS[position[_LETTERS.index(a.upper())]] for a in answer})
    return tuple(options[i] for i in kept), tuple(gold)


def _check_choice(options: tuple[str, ...], answer: tuple[str, ...], qtype: QuestionType) -> None:
    if len(options) < 2:
        raise ValueError(f"a choice item needs at least 2 options, got {len(options)}")
    for letter, option in zip(_LETTERS, options, strict=False):
        label = option.strip()[:1].upper()
        if option.strip()[1:2] in (".", ")") and label != letter:
            raise ValueError(f"option {option!r} is labelled {label} but is in position {letter}")
    valid = _LETTERS[: len(options)]
    wrong = [a for a in answer if len(a) != 1 or a.upper() not in valid]
    if wrong:
        raise ValueError(f"answer {', '.join(map(repr, wrong))} is not among the options {valid[0]}-{valid[-1]}")
    if len({a.upper() for a in answer}) != len(answer):
        raise ValueError(f"answer {list(answer)} repeats a letter")
    if qtype is QuestionType.SINGLE_CHOICE and len(answer) != 1:
        raise ValueError(f"a Single_choice item needs exactly one answer letter, got {list(answer)}")
    if not answer:
        raise ValueError("a choice item needs at least one answer letter")
