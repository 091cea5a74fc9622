"""Performance benchmark (not a test): the self-report suite against a scripted endpoint with a
fixed latency per call, through the real ``opencompass`` command.

    .venv/bin/python bench/run_bench.py [--latency 1.0] [--quick-latency 0.2] [--data-dir DIR]

It prints, side by side from one run, the figures of issue 17 and where the time goes:
  1. calls and sequential rounds per question, per method (measured at the endpoint, rounds
     from which replies each call was given), each method's wall time at the quick latency,
     and RAG's wall time against prompt's (RAG's local cost), also with the ``hybrid``
     retriever (MiniLM plus BM25) next to the default: once with the index cache cold (the
     stories are embedded), once again (stories and retrievals cached);
  2. the full suite (11 characters x 4 methods, ``configs/llmp_all.py``) against the ideal
     wall time, calls x latency / concurrency: the endpoint serves at most ``concurrency``
     calls at once and queues the rest, so the ideal is a true lower bound; then a warm rerun
     (same call cache, new work directory), which makes no call; each with a breakdown of its
     wall time (:mod:`bench.breakdown`);
  3. memory construction's throughput against the endpoint's saturation throughput, with its
     start-up apart.
The load average is printed with every figure: on a loaded machine the fixed costs (start-up,
imports, configs) stretch with the competition for the CPU, waiting on the endpoint does not.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.breakdown import Breakdown, read_breakdown  # noqa: E402
from bench.latency_server import CallRecord, LatencyServer  # noqa: E402
from llmp_opencompass.data.records import SCORED_TYPES  # noqa: E402
from llmp_opencompass.settings.data import open_data  # noqa: E402

METHODS = ("blank", "prompt", "rag", "macm")
OPENCOMPASS = Path(sys.executable).with_name("opencompass")
LLMP = Path(sys.executable).with_name("llmp-opencompass")
TARGETS = {"suite": 1.2, "warm": 30.0, "rag": 1.15, "memory": 0.90}
"""Issue 17's targets: suite / ideal, warm rerun seconds, RAG / prompt wall, memory / saturation."""


def rounds(calls: list[CallRecord]) -> int:
    """Sequential rounds of one question: the highest round of its calls, where a call's round is
    one more than that of the replies it was given (see ``latency_server``)."""
    return max((c.round for c in calls), default=0)


def per_question(calls: list[CallRecord], n_questions: int) -> tuple[float, float]:
    """Mean calls and mean sequential rounds per question (calls grouped by question and character;
    a call that names no character, as in ``blank``, is a question of its own)."""
    groups: dict[object, list[CallRecord]] = defaultdict(list)
    for index, call in enumerate(calls):
        groups[(call.question, call.character) if call.character else index].append(call)
    return len(calls) / n_questions, sum(rounds(g) for g in groups.values()) / max(1, len(groups))


def load() -> str:
    """The 1-minute load average against the cores, e.g. ``load 3.1 on 2 cores``."""
    return f"load {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"


def run(config: str, work: Path, env: dict[str, str]) -> tuple[float, Breakdown]:
    """Wall seconds of one ``opencompass`` run and where they went (fails loudly if it fails)."""
    work.mkdir(parents=True, exist_ok=True)
    launched, started = time.time(), time.monotonic()
    subprocess.run([str(OPENCOMPASS), str(ROOT / config), "-w", str(work / "out")], cwd=work, env=env,
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    elapsed, exited = time.monotonic() - started, time.time()
    if not list(work.glob("out/*/results/*/*.json")):
        raise SystemExit(f"{config}: no results written; see {work}/out/*/logs")
    return elapsed, read_breakdown(work / "out", launched, exited)


def opencompass_imports() -> float:
    """Wall seconds of importing OpenCompass's command (its share of every run's start-up)."""
    started = time.monotonic()
    subprocess.run([sys.executable, "-c", "import opencompass.cli.main"], check=True)
    return time.monotonic() - started


def verdict(value: float, target: float, *, at_least: bool = False) -> str:
    met = value >= target if at_least else value <= target
    return f"target {'>=' if at_least else '<='} {target:g}: {'met' if met else 'NOT met'}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--latency", type=float, default=1.0, help="seconds per call for the full-suite timing")
    parser.add_argument("--quick-latency", type=float, default=0.2, help="seconds per call of parts 1 and 3")
    parser.add_argument("--data-dir", type=Path, help="Human Simulacra copy (default: LLMP_DATA_DIR or the cache)")
    parser.add_argument("--memory-workers", type=int, default=8, help="memory build concurrency")
    parser.add_argument("--task-workers", type=int, default=2, help="OpenCompass tasks in parallel")
    parser.add_argument("--per-task", type=int, default=4, help="calls in flight per task")
    parser.add_argument("--rag-retrievers", default="hybrid", help="retrievers measured besides the default")
    parser.add_argument("--skip", default="", help="parts to skip, e.g. 1,3")
    args = parser.parse_args()
    skip = {p.strip() for p in args.skip.split(",") if p.strip()}

    data_env = dict(os.environ, **({"LLMP_DATA_DIR": str(args.data_dir)} if args.data_dir else {}))
    store = open_data(data_env)
    questions = [q.text for n in store.names() for t in SCORED_TYPES for q in store.questions(n, t)]
    scratch = Path(tempfile.mkdtemp(prefix="llmp-bench-"))
    concurrency = args.task_workers * args.per_task
    figures: dict[str, str] = {}
    print(f"machine: {os.cpu_count()} cores, {load()}; {len(questions)} questions; scratch {scratch}")
    print(f"OpenCompass's own imports (part of every run's start-up), measured apart: {opencompass_imports():.1f} s")

    def env_for(server: LatencyServer, cache: str | None, **extra: str) -> dict[str, str]:
        return dict(data_env, OPENAI_BASE_URL=server.base_url, LLMP_MODEL="bench", OPENAI_API_KEY="EMPTY",
                    LLMP_CACHE="on" if cache else "off", LLMP_CACHE_DIR=str(scratch / (cache or "unused")),
                    LLMP_TASK_WORKERS=str(args.task_workers),
                    LLMP_CONCURRENCY=str(args.per_task), LLMP_MAX_OUT_LEN="64",
                    HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", HF_DATASETS_OFFLINE="1", **extra)  # fmt: skip

    if "1" not in skip:
        print(f"\n1. calls and rounds per question (latency {args.quick_latency} s, call cache off)")
        print(f"{'method':14} {'calls/q':>8} {'rounds/q':>9} {'wall s':>7}  load at the end")
        walls: dict[str, float] = {}
        runs = [(m, m, {}) for m in METHODS]
        for retriever in filter(None, args.rag_retrievers.split(",")):  # the index cache cold, then warm
            runs += [(f"rag-{retriever}{again}", "rag", {"LLMP_RETRIEVER": retriever}) for again in ("", "-again")]
        with LatencyServer(args.quick_latency, questions, store.names()) as server:
            for label, method, extra in runs:
                wall, parts = run(f"configs/llmp_{method}.py", scratch / f"m-{label}", env_for(server, None, **extra))
                calls, depth = per_question(server.reset(), len(questions))
                walls[label] = wall
                print(f"{label:14} {calls:8.2f} {depth:9.2f} {wall:7.1f}  {load()}")
                print(f"{'':14} {parts.describe()}")
        ratio = walls["rag"] / walls["prompt"]
        figures["rag"] = (f"RAG wall vs prompt wall ({len(questions)} questions at {args.quick_latency} s): "
                          f"{walls['rag']:.1f} s vs {walls['prompt']:.1f} s = {ratio:.2f}x, "
                          f"{verdict(ratio, TARGETS['rag'])}")  # fmt: skip
        for label in walls:
            if label.startswith("rag-"):
                figures["rag"] += f"; {label}: {walls[label]:.1f} s = {walls[label] / walls['prompt']:.2f}x"
        print(figures["rag"])

    if "2" not in skip:
        print(
            f"\n2. full suite, configs/llmp_all.py (latency {args.latency} s, concurrency {concurrency}, "
            "fresh call cache: identical requests, e.g. blank's Cloze items shared by characters, are asked once)"
        )
        with LatencyServer(args.latency, slots=concurrency) as server:
            wall, parts = run("configs/llmp_all.py", scratch / "all-cold", env_for(server, "cache-all"))
            peak = server.peak_in_flight
            cold = server.reset()
            ideal = len(cold) * args.latency / concurrency
            figures["suite"] = (f"full suite: {len(cold)} calls; wall {wall:.1f} s; ideal (calls x latency / "
                                f"concurrency) {ideal:.1f} s; ratio {wall / ideal:.2f}, "
                                f"{verdict(wall / ideal, TARGETS['suite'])} ({load()})")  # fmt: skip
            print(f"{figures['suite']}; peak served at once: {peak} of {concurrency}")
            print(f"  breakdown: {parts.describe()}")
            rerun_wall, parts = run("configs/llmp_all.py", scratch / "all-warm", env_for(server, "cache-all"))
            figures["warm"] = (f"warm rerun: {len(server.reset())} calls (target 0); wall {rerun_wall:.1f} s, "
                               f"{verdict(rerun_wall, TARGETS['warm'])} ({load()})")  # fmt: skip
            print(figures["warm"])
            print(f"  breakdown: {parts.describe()}")

    if "3" not in skip:
        print(f"\n3. memory construction (Mary Jones, {args.memory_workers} workers, latency {args.quick_latency} s)")
        with LatencyServer(args.quick_latency) as server:
            env = env_for(server, None)  # the cache would fold the identical scripted replies
            started = time.monotonic()
            subprocess.run([str(LLMP), "memory", "build", "--character", "Mary Jones", "--out",
                            str(scratch / "memory"), "--workers", str(args.memory_workers), "--no-progress"],
                           env=env, check=True, stdout=subprocess.DEVNULL)  # fmt: skip
            ended = time.monotonic()
            calls = server.reset()
        fragments = len(store.memory("Mary Jones").entries)
        saturation = args.memory_workers / args.quick_latency  # calls/s the endpoint can serve at that concurrency
        first, last = min(c.start for c in calls), max(c.end for c in calls)
        building = len(calls) / (last - first) / saturation
        figures["memory"] = (f"memory construction: {len(calls)} calls of {fragments} fragments in "
                             f"{last - first:.1f} s from the first call to the last: {building:.0%} of the "
                             f"endpoint's saturation throughput ({saturation:.0f} calls/s), "
                             f"{verdict(building, TARGETS['memory'], at_least=True)} ({load()})")  # fmt: skip
        print(figures["memory"])
        print(f"  the whole command: {ended - started:.1f} s, {len(calls) / (ended - started) / saturation:.0%} of "
              f"saturation; start-up (launch to first call) {first - started:.1f} s, "
              f"exit (last call to exit) {ended - last:.1f} s")  # fmt: skip

    print(f"\nissue 17's figures ({load()} at the end; figures measured under load stretch the fixed costs):")
    for key in ("suite", "warm", "rag", "memory"):
        if key in figures:
            print(f"- {figures[key]}")


if __name__ == "__main__":
    main()
