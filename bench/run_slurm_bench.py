"""Slurm overhead benchmark (not a test): the full 4-method self-report suite through
``opencompass --slurm`` on a real single-node cluster against the same suite run locally, at
the same concurrency, both against a scripted endpoint with a fixed latency per call.

    .venv/bin/python bench/run_slurm_bench.py [--latency 1.0] [--data-dir DIR]

It brings up its own cluster with ``scripts/slurm-cluster.sh`` (as root; Debian's slurm-wlm
and munge are installed with apt-get when missing) and stops it afterwards, or uses a
running one with ``--slurm-conf FILE --partition P``. Both runs use ``configs/llmp_all.py``
(11 characters x 4 methods) with ``LLMP_TASK_WORKERS`` tasks of ``LLMP_CONCURRENCY`` calls in
flight; the Slurm run gets ``--max-num-workers`` equal to ``LLMP_TASK_WORKERS``, so both make
the same tasks. Each run has a fresh call cache of its own (the local run writes the SQLite
file, the Slurm tasks write shards), so both ask the endpoint the same calls. It prints both
wall times, the calls, and the ratio (target <= 1.3).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.latency_server import LatencyServer  # noqa: E402

OPENCOMPASS = Path(sys.executable).with_name("opencompass")
CLUSTER = ROOT / "scripts" / "slurm-cluster.sh"
CONFIG = ROOT / "configs" / "llmp_all.py"


def run(work: Path, env: dict[str, str], *args: str) -> float:
    """Wall seconds of one ``opencompass`` run of the full suite (fails loudly if any result is missing)."""
    work.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with (work / "opencompass.log").open("w") as log:
        subprocess.run([str(OPENCOMPASS), str(CONFIG), "-w", str(work / "out"), *args], cwd=work, env=env,
                       check=True, stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
    elapsed = time.monotonic() - started
    results = list(work.glob("out/*/results/*/*.json"))
    if len(results) != 11 * 3 * 4:
        raise SystemExit(f"{work}: {len(results)} of 132 results written; see {work}/out/*/logs")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--latency", type=float, default=1.0, help="seconds per call")
    parser.add_argument("--task-workers", type=int, default=2, help="OpenCompass tasks at once (both runs)")
    parser.add_argument("--per-task", type=int, default=4, help="calls in flight per task")
    parser.add_argument("--data-dir", type=Path, help="Human Simulacra copy (default: LLMP_DATA_DIR or the cache)")
    parser.add_argument("--slurm-conf", type=Path, help="a running cluster's slurm.conf (default: start one)")
    parser.add_argument("--partition", default="llmpbench", help="its partition")
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="llmp-slurm-bench-"))
    cluster = scratch / "cluster"
    if args.slurm_conf is None:
        subprocess.run([str(CLUSTER), "up", str(cluster), args.partition], check=True, stdout=subprocess.DEVNULL)
    conf = args.slurm_conf or cluster / "slurm.conf"
    concurrency = args.task_workers * args.per_task
    print(f"machine: {os.cpu_count()} cores; scratch {scratch}; cluster {conf}")
    try:
        with LatencyServer(args.latency, slots=concurrency) as server:
            env = dict(os.environ, OPENAI_BASE_URL=server.base_url, LLMP_MODEL="bench", OPENAI_API_KEY="EMPTY",
                       LLMP_TASK_WORKERS=str(args.task_workers), LLMP_CONCURRENCY=str(args.per_task),
                       LLMP_MAX_OUT_LEN="64", LLMP_CACHE="on", SLURM_CONF=str(conf),
                       HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", HF_DATASETS_OFFLINE="1",
                       **({"LLMP_DATA_DIR": str(args.data_dir)} if args.data_dir else {}))  # fmt: skip
            local = run(scratch / "local", dict(env, LLMP_CACHE_DIR=str(scratch / "cache-local")))
            local_calls = len(server.reset())
            slurm = run(scratch / "slurm", dict(env, LLMP_CACHE_DIR=str(scratch / "cache-slurm")),
                        "--slurm", "-p", args.partition, "--max-num-workers", str(args.task_workers))  # fmt: skip
            slurm_calls = len(server.reset())
    finally:
        if args.slurm_conf is None:
            subprocess.run([str(CLUSTER), "down", str(cluster)], check=False, stdout=subprocess.DEVNULL)
    print(f"full suite, configs/llmp_all.py, latency {args.latency} s, {args.task_workers} tasks x "
          f"{args.per_task} calls in flight (the endpoint serves {concurrency} at once)")  # fmt: skip
    print(f"local:  {local:7.1f} s, {local_calls} calls")
    print(f"slurm:  {slurm:7.1f} s, {slurm_calls} calls (--slurm -p {args.partition} "
          f"--max-num-workers {args.task_workers})")  # fmt: skip
    print(f"ratio slurm / local: {slurm / local:.2f} (target <= 1.3)")


if __name__ == "__main__":
    main()
