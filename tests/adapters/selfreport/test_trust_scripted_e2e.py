"""Trustworthy numbers, checked black-box through the real ``opencompass`` command against scripted
loopback endpoints (exact control of the answers, and every request recorded):

- RAG retrieves the answer: answer recall of the passages the RAG simulacrum sends >= 0.70 at
  <= 1,600 retrieved characters per question, over the items whose answer is in the story;
- MACM's agents are given the stimulus (question and options), not the scene or the answer format;
- the paper protocol sends temperature 0.7, 1024 tokens and the upstream option order, and an
  oracle still scores 50 of 50;
- LLMP_REPEATS=3 sends every item with the seeds 0, 1 and 2, and every result file has a valid
  interval, non-degenerate when the answers vary with the seed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from llmp_opencompass.data.records import SCORED_TYPES, QuestionType
from llmp_opencompass.data.store import HumanSimulacra
from llmp_opencompass.experiments.selfreport.answers import gold_texts, holds_answer
from llmp_opencompass.servers.scripted import Reply, ScriptedServer
from tests.support.opencompass_run import read_json, run_opencompass, summary_csv
from tests.support.oracle import oracle_answer, oracle_reply

pytestmark = pytest.mark.e2e
TYPES = ("cloze", "single_choice", "multiple_choices")
_PASSAGES = re.compile(r"<<<\n(.*?)\n>>>", re.DOTALL)


def _env(server: ScriptedServer, data: Path, **extra: str) -> dict[str, str]:
    return {"OPENAI_BASE_URL": server.base_url, "LLMP_MODEL": "scripted", "LLMP_DATA_DIR": str(data), **extra}


def _user(body: dict) -> str:
    return [m["content"] for m in body["messages"] if m["role"] == "user"][-1]


def _system(body: dict) -> str:
    return "\n".join(m["content"] for m in body["messages"] if m["role"] == "system")


def test_scripted_rag_passages_hold_the_answer(shared_data_dir: Path, tmp_path: Path) -> None:
    store = HumanSimulacra(shared_data_dir)
    with ScriptedServer(lambda body: Reply("The answer is A.")) as server:
        run_opencompass("configs/llmp_rag.py", tmp_path, _env(server, shared_data_dir))
    assert len(server.requests) == 165
    hits, chars, answerable = 0, 0, 0
    for character in store.characters():
        story = store.story(character.name).text
        asked = [b for b in server.requests if f"You are {character.name}" in _system(b)]
        for qtype in SCORED_TYPES:
            for question in store.questions(character.name, qtype):
                body = next(b for b in asked if question.text in _user(b))
                passages = _PASSAGES.search(_system(body))
                assert passages, "the RAG system message holds the passages"
                chars += len(passages.group(1))
                if holds_answer(story, gold_texts(question)):
                    answerable += 1
                    hits += holds_answer(passages.group(1), gold_texts(question))
    assert answerable >= 50 and hits / answerable >= 0.70, f"answer recall {hits}/{answerable}"
    assert chars / 165 <= 1600


def test_scripted_macm_agents_are_given_the_stimulus(shared_data_dir: Path, tmp_path: Path) -> None:
    def respond(body: dict) -> Reply:  # the memory agent's pages list summaries as "012: ..."
        return Reply("002, 005" if re.search(r"^\d{3}: ", _user(body), re.MULTILINE) else "The answer is B.")

    env = {"LLMP_CHARACTERS": "Kevin Kelly", "LLMP_RETRIEVAL": "llm"}
    with ScriptedServer(respond) as server:
        run = run_opencompass("configs/llmp_macm.py", tmp_path, _env(server, shared_data_dir, **env))
    assert len(server.requests) == 15 * 5
    store = HumanSimulacra(shared_data_dir)
    question = store.questions("Kevin Kelly", QuestionType.SINGLE_CHOICE)[3]
    calls = [b for b in server.requests if question.text in "\n".join(m["content"] for m in b["messages"])]
    answer = [b for b in calls if "Alice" in _user(b)]
    agents = [b for b in calls if b not in answer]
    assert len(answer) == 1 and len(agents) == 4, "memory pages, thinking and emotion, then the answer"
    for body in agents:
        assert "Alice" not in _user(body) and "The answer is" not in _user(body)
        assert all(option in _user(body) for option in question.options)
    assert read_json(run, "results", "macm-scripted", "llmp-kevin_kelly-single_choice")["repeats"] == 1


def test_scripted_paper_protocol_requests_and_an_oracle_scores_50(shared_data_dir: Path, tmp_path: Path) -> None:
    store = HumanSimulacra(shared_data_dir)
    env = {"LLMP_PROTOCOL": "paper", "LLMP_CHARACTERS": "Mary Jones,Leslie Nichols"}
    with ScriptedServer(oracle_reply(store)) as server:
        run = run_opencompass("configs/llmp_prompt.py", tmp_path, _env(server, shared_data_dir, **env))
    assert len(server.requests) == 30
    assert {(b["temperature"], b["max_tokens"]) for b in server.requests} == {(0.7, 1024)}
    assert all("seed" not in b for b in server.requests)
    for body in server.requests:
        name = next(n for n in ("Mary Jones", "Leslie Nichols") if f"You are {n}" in _system(body))
        assert "let your personality come through." in _system(body), "the persona's closing line"
        question = next(q for t in SCORED_TYPES for q in store.questions(name, t) if q.text in _user(body))
        shown = re.findall(r"^[A-F]\. (.*)$", _user(body), re.MULTILINE)
        assert shown == list(question.options), "the upstream order and labels"
    summary = summary_csv(run)
    for slug in ("mary_jones", "leslie_nichols"):
        assert summary[f"llmp-{slug}-total"]["prompt-scripted"] == "50.00"
        assert summary[f"llmp-{slug}-total (95% CI)"]["prompt-scripted"] == "[50.00; 50.00]"


def test_scripted_repeats_send_seeds_and_give_intervals(shared_data_dir: Path, tmp_path: Path) -> None:
    store = HumanSimulacra(shared_data_dir)

    def respond(body: dict) -> Reply:  # right with seeds 0 and 2, wrong with seed 1: answers vary with the seed
        right = oracle_answer(store, _system(body), _user(body))
        return Reply(right if body.get("seed") != 1 else "I really could not say.")

    env = {"LLMP_REPEATS": "3", "LLMP_CHARACTERS": "Haley Collins"}
    with ScriptedServer(respond) as server:
        run = run_opencompass("configs/llmp_prompt.py", tmp_path, _env(server, shared_data_dir, **env))
    assert len(server.requests) == 45
    for question in (q for t in SCORED_TYPES for q in store.questions("Haley Collins", t)):
        seeds = sorted(b["seed"] for b in server.requests if question.text in _user(b))
        assert seeds == [0, 1, 2], question.text
    for qtype in TYPES:
        result = read_json(run, "results", "prompt-scripted", f"llmp-haley_collins-{qtype}")
        maximum = {"cloze": 10, "single_choice": 10, "multiple_choices": 30}[qtype]
        assert result["repeats"] == 3 and result["points"] == pytest.approx(maximum * 2 / 3)
        assert result["points_ci95_low"] < result["points"] < result["points_ci95_high"]
        assert len(result["details"]) == 15 and {d["repeat"][0] for d in result["details"]} == {0, 1, 2}
    summary = summary_csv(run)
    assert summary["llmp-haley_collins-total"]["prompt-scripted"] == "33.33"
    cell = summary["llmp-haley_collins-total (95% CI)"]["prompt-scripted"]
    low, high = (float(v) for v in cell.strip("[]").split(";"))
    assert low < 33.33 < high
