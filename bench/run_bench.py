"""Performance benchmark (not a test): the full self-report suite against a scripted
endpoint with a fixed latency per call, through the real ``opencompass`` command.

    .venv/bin/python bench/run_bench.py [--latency 1.0] [--quick-latency 0.2] [--data-dir DIR]

It prints, side by side from one run:
  - calls and sequential rounds per question, per method (measured at the endpoint, rounds from
    which replies each call was given);
  - full-suite wall time (11 characters x 4 methods, ``configs/llmp_all.py``) against the
    ideal wall time, calls x latency / concurrency, as a ratio (target <= 1.5 at concurrency 8);
    the endpoint serves at most ``concurrency`` calls at once and queues the rest, so the
    ideal is a true lower bound (a MACM question's concurrent agent calls gain nothing);
  - the calls a warm rerun makes (target 0);
  - memory construction throughput against the endpoint's saturation throughput.
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

from bench.latency_server import CallRecord, LatencyServer  # noqa: E402
from llmp_opencompass.data.records import SCORED_TYPES  # noqa: E402
from llmp_opencompass.settings.data import open_data  # noqa: E402

METHODS = ("blank", "prompt", "rag", "macm")
OPENCOMPASS = Path(sys.executable).with_name("opencompass")
LLMP = Path(sys.executable).with_name("llmp-opencompass")


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


def run(config: str, work: Path, env: dict[str, str]) -> float:
    """Wall seconds of one ``opencompass`` run (fails loudly if it fails)."""
    work.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    subprocess.run([str(OPENCOMPASS), str(ROOT / config), "-w", str(work / "out")], cwd=work, env=env,
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    elapsed = time.monotonic() - started
    if not list(work.glob("out/*/results/*/*.json")):
        raise SystemExit(f"{config}: no results written; see {work}/out/*/logs")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--latency", type=float, default=1.0, help="seconds per call for the full-suite timing")
    parser.add_argument("--quick-latency", type=float, default=0.2, help="seconds per call when counting calls")
    parser.add_argument("--data-dir", type=Path, help="Human Simulacra copy (default: LLMP_DATA_DIR or the cache)")
    parser.add_argument("--memory-workers", type=int, default=8, help="memory build concurrency")
    parser.add_argument("--task-workers", type=int, default=2, help="OpenCompass tasks in parallel")
    parser.add_argument("--per-task", type=int, default=4, help="questions in flight per task")
    parser.add_argument("--skip-methods", action="store_true", help="skip part 1 (calls per method)")
    args = parser.parse_args()

    data_env = dict(os.environ, **({"LLMP_DATA_DIR": str(args.data_dir)} if args.data_dir else {}))
    store = open_data(data_env)
    questions = [q.text for n in store.names() for t in SCORED_TYPES for q in store.questions(n, t)]
    scratch = Path(tempfile.mkdtemp(prefix="llmp-bench-"))
    concurrency = args.task_workers * args.per_task
    print(f"machine: {os.cpu_count()} cores; {len(questions)} questions; scratch {scratch}")

    def env_for(server: LatencyServer, cache: str | None) -> dict[str, str]:
        return dict(data_env, OPENAI_BASE_URL=server.base_url, LLMP_MODEL="bench", OPENAI_API_KEY="EMPTY",
                    LLMP_CACHE="on" if cache else "off", LLMP_CACHE_DIR=str(scratch / (cache or "unused")),
                    LLMP_TASK_WORKERS=str(args.task_workers),
                    LLMP_CONCURRENCY=str(args.per_task), LLMP_MAX_OUT_LEN="64",
                    HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", HF_DATASETS_OFFLINE="1")  # fmt: skip

    if not args.skip_methods:
        print(f"\n1. calls and rounds per question (latency {args.quick_latency} s, call cache off)")
        print(f"{'method':8} {'calls/q':>8} {'rounds/q':>9} {'wall s':>7}")
        with LatencyServer(args.quick_latency, questions, store.names()) as server:
            for method in METHODS:
                wall = run(f"configs/llmp_{method}.py", scratch / f"m-{method}", env_for(server, None))
                calls, depth = per_question(server.reset(), len(questions))
                print(f"{method:8} {calls:8.2f} {depth:9.2f} {wall:7.1f}")

    print(
        f"\n2. full suite, configs/llmp_all.py (latency {args.latency} s, concurrency {concurrency}, "
        "fresh call cache: identical requests, e.g. blank's Cloze items shared by characters, are asked once)"
    )
    with LatencyServer(args.latency, slots=concurrency) as server:
        wall = run("configs/llmp_all.py", scratch / "all-cold", env_for(server, "cache-all"))
        peak = server.peak_in_flight
        cold = server.reset()
        ideal = len(cold) * args.latency / concurrency
        print(f"calls {len(cold)}; wall {wall:.1f} s; ideal (calls x latency / concurrency) {ideal:.1f} s; "
              f"ratio {wall / ideal:.2f} (target <= 1.5); the endpoint serves {concurrency} calls at once "
              f"and queues the rest (peak served at once: {peak})")  # fmt: skip
        rerun_wall = run("configs/llmp_all.py", scratch / "all-warm", env_for(server, "cache-all"))
        print(f"warm rerun: {len(server.reset())} calls (target 0); wall {rerun_wall:.1f} s")

    print(f"\n3. memory construction (Mary Jones, {args.memory_workers} workers, latency {args.quick_latency} s)")
    with LatencyServer(args.quick_latency) as server:
        env = env_for(server, None)  # the cache would fold the identical scripted replies
        started = time.monotonic()
        subprocess.run([str(LLMP), "memory", "build", "--character", "Mary Jones", "--out", str(scratch / "memory"),
                        "--workers", str(args.memory_workers), "--no-progress"], env=env, check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip
        wall = time.monotonic() - started
        calls = len(server.reset())
    fragments = len(store.memory("Mary Jones").entries)
    saturation = args.memory_workers / args.quick_latency  # calls/s the endpoint can serve at that concurrency
    print(f"{fragments} fragments, {calls} calls in {wall:.1f} s: {calls / wall:.1f} calls/s against a saturation "
          f"throughput of {saturation:.1f} calls/s ({calls / wall / saturation:.0%})")  # fmt: skip


if __name__ == "__main__":
    main()
