"""Reliability, round two, through the real ``opencompass`` command against scripted loopback
servers (exact control is needed: failing one character, echoing the key, hanging, replying
10 MB) and the real config parse: no silent average, no dead end, every knob honoured."""

from __future__ import annotations

import json
import os
import shutil
import stat
import threading
from pathlib import Path

import pytest

from llmp_opencompass.cli.main import main
from llmp_opencompass.data.store import HumanSimulacra
from llmp_opencompass.servers.scripted import Reply, ScriptedServer
from tests.support.opencompass_run import opencompass_output, read_json, run_opencompass, summary_csv, task_logs
from tests.support.oracle import oracle_reply

pytestmark = pytest.mark.e2e
TYPES = ("cloze", "single_choice", "multiple_choices")
SECRET = "sk-llmp-echoed-7a3e55c1f0"
MODEL = "prompt-scripted"


def _env(server: ScriptedServer, data: Path, **extra: str) -> dict[str, str]:
    return {"OPENAI_BASE_URL": server.base_url, "LLMP_MODEL": "scripted", "LLMP_DATA_DIR": str(data),
            "LLMP_CHARACTERS": "Mary Jones", **extra}  # fmt: skip


def _logs(run: Path, stage: str) -> str:
    return "\n".join(p.read_text(errors="replace") for p in run.glob(f"logs/{stage}/**/*.out"))


def test_scripted_a_failed_character_leaves_the_others_scored_and_every_mean_n_a(
    shared_data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    """Items 1 and 4: Robert Scott's endpoint calls fail (HTTP 400), so his inference fails. In the
    one evaluation task, his missing predictions must not cost Mary Jones her results, and the
    report must not print Mary Jones's total as the method's mean."""
    answer = oracle_reply(HumanSimulacra(shared_data_dir))

    def respond(body: dict) -> Reply:
        return Reply(status=400) if "You are Robert Scott" in body["messages"][0]["content"] else answer(body)

    with ScriptedServer(respond) as server:
        env = _env(server, shared_data_dir, LLMP_CHARACTERS="Robert Scott,Mary Jones", LLMP_TASK_WORKERS="1")
        run = run_opencompass("configs/llmp_prompt.py", tmp_path, env)
    for qtype, points in zip(TYPES, (10, 10, 30), strict=True):
        assert read_json(run, "results", MODEL, f"llmp-mary_jones-{qtype}")["points"] == points
    assert not list(run.glob("results/*/llmp-robert_scott-*.json"))
    evaluation = _logs(run, "eval")
    assert "3 evaluation pairs failed" in evaluation and "llmp-robert_scott-cloze" in evaluation
    summary = summary_csv(run)
    assert summary["llmp-mary_jones-total"][MODEL] == "50.00"
    assert summary["llmp-selfreport-mean"][MODEL] == "-" and summary["llmp-robert_scott-total"][MODEL] == "-"
    assert main(["report", str(run)]) == 0
    markdown = (run / "report" / "report.md").read_text()
    assert "| mean (out of 50) | n/a (1 of 2) |" in markdown and "| score (0-100) | n/a (1 of 2) |" in markdown
    assert "| Robert Scott | n/a |" in markdown and "| prompt-scripted | llmp-robert_scott-cloze |" in markdown


def test_scripted_a_bad_questionnaire_costs_no_neighbour_its_result(shared_data_dir: Path, tmp_path: Path) -> None:
    """Item 4: the predictions are made, then Mary Jones's Cloze file is damaged; evaluating again
    must still score her two other questionnaires (the stock task stopped at the first failure)."""
    data = tmp_path / "data"
    shutil.copytree(shared_data_dir, data)
    with ScriptedServer(oracle_reply(HumanSimulacra(shared_data_dir))) as server:
        env = _env(server, data, LLMP_TASK_WORKERS="1")
        run = run_opencompass("configs/llmp_prompt.py", tmp_path / "w", env, "-m", "infer")
        cloze = data / "LLMP" / "Characters" / "Questions" / "Mary Jones" / "Cloze.json"
        cloze.write_text(cloze.read_text() + "\n")
        run = run_opencompass("configs/llmp_prompt.py", tmp_path / "w", env, "-r", "-m", "eval")
    assert read_json(run, "results", MODEL, "llmp-mary_jones-single_choice")["points"] == 10
    assert read_json(run, "results", MODEL, "llmp-mary_jones-multiple_choices")["points"] == 30
    assert not (run / "results" / MODEL / "llmp-mary_jones-cloze.json").exists()
    evaluation = _logs(run, "eval")
    assert "1 evaluation pairs failed" in evaluation and "Cloze.json" in evaluation and "-r" in evaluation


def test_scripted_corrupt_cache_and_oversized_reply_still_score_and_store_little(
    shared_data_dir: Path, tmp_path: Path
) -> None:
    """Items 2, 9 and 10: the call cache holds random bytes, and the first reply is 10 MB long for
    ``max_tokens=16``. The cache is moved aside with a warning, the run scores 50 of 50, nothing
    stores the 10 MB, the cut is flagged, and every written file follows the umask."""
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "llm_calls.sqlite").write_bytes(os.urandom(65536))
    answer = oracle_reply(HumanSimulacra(shared_data_dir))
    first = threading.Lock()

    def respond(body: dict) -> Reply:
        reply = answer(body)
        if first.acquire(blocking=False):
            return Reply(f"{reply.content}\n" + "x" * (10 * 1024 * 1024))
        return reply

    with ScriptedServer(respond) as server:
        env = _env(server, shared_data_dir, LLMP_CACHE="on", LLMP_CACHE_DIR=str(cache), LLMP_MAX_OUT_LEN="16")
        run = run_opencompass("configs/llmp_prompt.py", tmp_path / "w", env)
    output = (tmp_path / "w" / "opencompass.log").read_text()
    (aside,) = cache.glob("llm_calls.sqlite.corrupt-*")
    assert "moved it aside" in output and str(aside) in output
    assert summary_csv(run)["llmp-mary_jones-total"][MODEL] == "50.00"
    big = [p for p in [*run.rglob("*"), cache / "llm_calls.sqlite"] if p.is_file() and p.stat().st_size > 500_000]
    assert not big, f"the 10 MB reply was stored in {big}"
    usage = [e["usage"] for t in TYPES for e in read_json(run, "predictions", MODEL, f"llmp-mary_jones-{t}").values()]
    assert sum(u.get("cut_replies", 0) for u in usage) == 1
    assert "was cut to its first 4096 characters" in _logs(run, "infer")
    umask = os.umask(0)
    os.umask(umask)
    modes = {stat.S_IMODE(p.stat().st_mode) for p in run.glob("*/*/*.json") if p.parent.parent.name in
             ("predictions", "results")}  # fmt: skip
    assert modes == {0o666 & ~umask}, f"predictions and results have modes {sorted(map(oct, modes))}"


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ({"LLMP_TEMPERATURE": "nan"}, "LLMP_TEMPERATURE='nan' must be a finite number"),
        ({"LLMP_CACHE": "on", "LLMP_CACHE_DIR": "{tmp}/cache"}, "cannot open the LLM call cache"),
        ({"OPENAI_BASE_URL": "127.0.0.1:8000/v1"}, "OPENAI_BASE_URL='127.0.0.1:8000/v1' has no scheme"),
    ],
)
def test_bad_settings_fail_at_config_parse_with_one_clear_error(
    setting: dict[str, str], message: str, shared_data_dir: Path, tmp_path: Path
) -> None:
    """Items 2, 3 and 5 through the real command: no task starts, the message names the fix."""
    (tmp_path / "cache" / "llm_calls.sqlite").mkdir(parents=True)  # a cache path that cannot be opened
    env = {"OPENAI_BASE_URL": "http://127.0.0.1:9/v1", "LLMP_MODEL": "m", "LLMP_DATA_DIR": str(shared_data_dir),
           "LLMP_CHARACTERS": "Mary Jones", **{k: v.format(tmp=tmp_path) for k, v in setting.items()}}  # fmt: skip
    code, output = opencompass_output("configs/llmp_prompt.py", tmp_path / "w", env)
    assert code != 0 and message in output, output[-3000:]
    assert "NameError" not in output and not list((tmp_path / "w").rglob("predictions"))
    if "CACHE" in str(setting):
        assert "LLMP_CACHE=off" in output


def test_scripted_echoed_key_never_reaches_the_work_directory(shared_data_dir: Path, tmp_path: Path) -> None:
    """Item 7: a 401 whose body quotes the Authorization header; the key is in no file of the run."""
    server = ScriptedServer(lambda body: Reply(status=401, raw_body=json.dumps(
        {"error": {"message": f"bad token: Authorization: {server.authorizations[-1]}"}}).encode()))  # fmt: skip
    with server:
        run = run_opencompass("configs/llmp_prompt.py", tmp_path / "w", _env(server, shared_data_dir,
                              OPENAI_API_KEY=SECRET))  # fmt: skip
    assert set(server.authorizations) == {f"Bearer {SECRET}"}
    leaks = [p for p in tmp_path.rglob("*") if p.is_file() and SECRET.encode() in p.read_bytes()]
    assert not leaks, f"the API key was written to {leaks}"
    infer = _logs(run, "infer")
    assert "HTTP 401" in infer and "Bearer [redacted]" in infer, task_logs(run)


def test_scripted_hanging_endpoint_gives_up_within_the_call_budget(shared_data_dir: Path, tmp_path: Path) -> None:
    """Item 8: an endpoint that never answers in time; LLMP_TIMEOUT and LLMP_MAX_CALL_TIME end each
    call within 2 s however many attempts LLMP_RETRIES allows (before: 6 x 300 s per call)."""
    with ScriptedServer(lambda body: Reply("too late", delay=60)) as server:
        env = _env(server, shared_data_dir, LLMP_TIMEOUT="0.5", LLMP_MAX_CALL_TIME="2", LLMP_RETRIES="100",
                   LLMP_RETRY_MAX_WAIT="0.2")  # fmt: skip
        run = run_opencompass("configs/llmp_prompt.py", tmp_path / "w", env, timeout=600)
    assert not list(run.glob("results/*/*.json"))
    infer = _logs(run, "infer")
    assert "in 2 s, the longest a call may take" in infer and "rerun the same opencompass command with -r" in infer
    assert len(server.requests) < 15 * 10, "each call made at most a few attempts"
