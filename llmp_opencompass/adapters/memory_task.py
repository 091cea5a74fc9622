"""Memory construction fanned out over a Slurm cluster, one job per character, by
OpenCompass's own ``SlurmRunner`` (``llmp-opencompass memory build --slurm -p P``).

Each character becomes a ``MemoryBuildTask``: the runner submits it with
``srun -p P [--quotatype=Q] [--qos=...] -N1 -u -J MemoryBuild[memory/<slug>] <command>``,
at most ``max_num_workers`` at once, and retries it up to ``retry`` times when it fails
or leaves no ``long_memory.json``, as it does for OpenCompass's own tasks. The command
is ``llmp-opencompass memory build`` for that one character, so a job killed midway
(``scancel``, a node lost) resumes from its checkpoint when it is run again, on any node.
Logs: ``<work_dir>/logs/memory/memory/<slug>.out``.
"""

from __future__ import annotations

import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

from mmengine.config import Config, ConfigDict
from opencompass.registry import TASKS
from opencompass.runners import SlurmRunner
from opencompass.tasks.base import BaseTask

from ..simulacra.macm import LONG_MEMORY_FILE

__all__ = ["MemoryJob", "SlurmOptions", "MemoryBuildTask", "fan_out"]

_MODULE = "llmp_opencompass.adapters.memory_task"


@dataclass(frozen=True)
class MemoryJob:
    """One character's build."""

    character: str
    """The character's name."""
    slug: str
    """Its slug, naming the job and its log."""
    out: Path
    """The output directory (absolute: the job may start elsewhere)."""
    options: tuple[str, ...] = ()
    """Further ``memory build`` options (``--workers``, ``--max-tokens``, ``--no-cache``)."""


@dataclass(frozen=True)
class SlurmOptions:
    """How OpenCompass's ``SlurmRunner`` submits the jobs (its arguments, its meaning)."""

    partition: str
    quotatype: str | None = None
    qos: str | None = None
    max_num_workers: int = 1
    """Jobs at once."""
    retry: int = 2
    """Submissions again after a job fails."""
    work_dir: Path = Path("outputs/memory")
    """Where the job logs go."""


@TASKS.register_module()
class MemoryBuildTask(BaseTask):
    """One character's ``llmp-opencompass memory build`` as an OpenCompass task."""

    name_prefix = "MemoryBuild"
    log_subdir = "logs/memory"
    output_subdir = "memory"

    def __init__(self, cfg: ConfigDict) -> None:
        super().__init__(cfg)
        self.num_gpus = 0
        self.job = cfg["memory_job"]

    def get_command(self, cfg_path: str, template: str) -> str:
        """The ``memory build`` command of the character (the task config file is not needed)."""
        job = self.job
        words = [sys.executable, "-m", "llmp_opencompass.cli.main", "memory", "build", "--character",
                 job["character"], "--out", job["out"], "--no-progress", *job["options"]]  # fmt: skip
        return template.format(task_cmd=shlex.join(words))

    def get_output_paths(self, file_extension: str = "json") -> list[str]:
        """The file a finished build leaves (the runner retries a job without it)."""
        return [str(Path(self.job["out"]) / LONG_MEMORY_FILE)]

    def run(self) -> None:  # the command runs the build; nothing runs in-process
        raise NotImplementedError("MemoryBuildTask runs as `llmp-opencompass memory build` through its command")


def _task_config(job: MemoryJob, work_dir: Path) -> Config:
    return Config(
        dict(
            models=[dict(abbr="memory")],
            datasets=[[dict(abbr=job.slug)]],
            work_dir=str(work_dir),
            memory_job=dict(character=job.character, out=str(job.out), options=list(job.options)),
        )
    )


def fan_out(jobs: list[MemoryJob], slurm: SlurmOptions) -> list[MemoryJob]:
    """Run every job through ``SlurmRunner``; the jobs that left no memory files."""
    runner = SlurmRunner(
        task=dict(type=f"{_MODULE}.MemoryBuildTask"),
        max_num_workers=max(1, slurm.max_num_workers),
        retry=max(0, slurm.retry),
        partition=slurm.partition,
        quotatype=slurm.quotatype,
        qos=slurm.qos,
    )
    runner([_task_config(job, slurm.work_dir.resolve()) for job in jobs])
    return [job for job in jobs if not (job.out / LONG_MEMORY_FILE).is_file()]
