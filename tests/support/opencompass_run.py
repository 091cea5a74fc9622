"""Run the real ``opencompass`` command in a scratch directory and read what it wrote.

OpenCompass exits 0 even when its tasks fail, so callers check the result files;
when one is missing, the task logs are put into the assertion message.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from tests.conftest import PROJECT_ROOT

OPENCOMPASS = Path(sys.executable).with_name("opencompass")
OFFLINE = {"HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}


def run_opencompass(
    config: str | Path, workdir: Path, env: Mapping[str, str], *args: str, timeout: float = 1200
) -> Path:
    """Run ``opencompass CONFIG -w WORKDIR ARGS`` with ``env`` added; return the run's timestamp dir."""
    code, output = opencompass_output(config, workdir, env, *args, timeout=timeout)
    assert code == 0, f"opencompass failed:\n{output[-5000:]}"
    runs = sorted((workdir / "out").iterdir())
    assert runs, f"no run directory in {workdir / 'out'}:\n{output[-3000:]}"
    return runs[-1]


def opencompass_output(
    config: str | Path, workdir: Path, env: Mapping[str, str], *args: str, timeout: float = 1200
) -> tuple[int, str]:
    """Run ``opencompass CONFIG -w WORKDIR ARGS`` with ``env`` added; its exit code and output
    (also written to ``WORKDIR/opencompass.log``)."""
    config_path = Path(config) if Path(config).is_absolute() else PROJECT_ROOT / config
    workdir.mkdir(parents=True, exist_ok=True)
    full_env = {**os.environ, **OFFLINE, **env}
    process = subprocess.Popen(
        [str(OPENCOMPASS), str(config_path), "-w", str(workdir / "out"), *args],
        cwd=workdir, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,  # so that a timeout also stops its task subprocesses
    )  # fmt: skip
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        output, _ = process.communicate()
        raise AssertionError(f"opencompass timed out after {timeout} s:\n{output[-3000:]}") from None
    (workdir / "opencompass.log").write_text(output)
    return process.returncode, output


def task_logs(run_dir: Path) -> str:
    """Tails of every task log of a run, for assertion messages."""
    logs = sorted(run_dir.glob("logs/**/*.out"))
    return "\n".join(f"--- {p.relative_to(run_dir)}\n{p.read_text(errors='replace')[-2500:]}" for p in logs)


def read_json(run_dir: Path, kind: str, model_abbr: str, dataset_abbr: str) -> dict:
    """``<run>/<kind>/<model>/<dataset>.json`` (kind: predictions or results), failing with the logs."""
    path = run_dir / kind / model_abbr / f"{dataset_abbr}.json"
    assert path.is_file(), f"missing {path}\n{task_logs(run_dir)}"
    return json.loads(path.read_text())


def summary_csv(run_dir: Path) -> dict[str, dict[str, str]]:
    """The newest summary CSV (a run reused with ``-r`` has one per pass) as {dataset row: {model column: value}}."""
    import csv

    paths = sorted(run_dir.glob("summary/summary_*.csv"))
    assert paths, f"no summary in {run_dir}\n{task_logs(run_dir)}"
    path = paths[-1]
    with path.open() as handle:
        rows = list(csv.DictReader(handle))
    fixed = {"dataset", "version", "metric", "mode"}
    return {row["dataset"]: {k: v for k, v in row.items() if k not in fixed} for row in rows}
