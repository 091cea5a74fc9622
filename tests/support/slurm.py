"""A real single-node Slurm cluster for the end-to-end tests (``scripts/slurm-cluster.sh``).

The session fixture ``slurm_cluster`` brings it up under a temporary directory (installing
Debian's slurm-wlm and munge with apt-get when they are missing) and stops it afterwards.
It skips only where Slurm is missing and apt-get is not available, and never when the
environment variable ``CI`` is set: there, and wherever apt-get exists, a cluster that does
not come up fails the tests.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT

SCRIPT = PROJECT_ROOT / "scripts" / "slurm-cluster.sh"
PARTITION = "llmptest"
_APT_MISSING = 3  # the script's exit code when Slurm is missing and apt-get is not available
_STEP = re.compile(r"launch task StepId=(\d+)\.(\d+)")


@dataclass(frozen=True)
class SlurmCluster:
    """A running cluster: its directory and partition."""

    directory: Path
    partition: str

    @property
    def env(self) -> dict[str, str]:
        """What a process needs to reach this cluster with srun, sinfo, scancel."""
        return {"SLURM_CONF": str(self.directory / "slurm.conf")}

    def steps(self) -> list[str]:
        """Every job step slurmd launched so far, as "<job>.<step>" (from its log)."""
        log = self.directory / "log" / "slurmd.log"
        return [f"{job}.{step}" for job, step in _STEP.findall(log.read_text(errors="replace"))]

    def scancel_all(self) -> None:
        """Cancel every job of the partition."""
        subprocess.run(["scancel", "--full", f"--partition={self.partition}"], env={**os.environ, **self.env},
                       check=True, timeout=60)  # fmt: skip

    def queue(self) -> str:
        """``squeue`` of the partition (job names)."""
        return subprocess.run(["squeue", "-h", "-p", self.partition, "-o", "%i %j %T"], env={**os.environ, **self.env},
                              capture_output=True, text=True, timeout=60).stdout  # fmt: skip


def _skip_allowed() -> bool:
    return not os.environ.get("CI") and shutil.which("apt-get") is None


@pytest.fixture(scope="session")
def slurm_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SlurmCluster]:
    """A real single-node Slurm cluster (slurmctld, slurmd, munge), stopped after the session."""
    directory = tmp_path_factory.mktemp("slurm")
    started = subprocess.run([str(SCRIPT), "up", str(directory), PARTITION], capture_output=True, text=True,
                             timeout=1200)  # fmt: skip
    if started.returncode == _APT_MISSING and _skip_allowed():
        pytest.skip(f"Slurm is not installed and apt-get is not available: {started.stderr.strip()}")
    try:
        assert started.returncode == 0, f"the Slurm cluster did not start:\n{started.stdout}\n{started.stderr}"
        yield SlurmCluster(directory, PARTITION)
    finally:
        subprocess.run([str(SCRIPT), "down", str(directory)], capture_output=True, timeout=120)
