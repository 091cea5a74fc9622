"""A work queue over the dependent calls of many jobs: at most ``workers`` calls at once, and
always the ready call of the earliest job first.

Memory construction makes four calls per story fragment, and two of them wait for others
(the inner thoughts retell the recollection; the summary reads the recollection and the
feelings). Run fragment by fragment, a fragment's calls went one after another, and the
endpoint's slots emptied in the last waves. Here each call is a :class:`Step` of its job;
it becomes ready once the steps it ``needs`` are done, and ``workers`` threads each take the
ready step of the earliest job (then its earliest step). The slots stay full while a job
waits on a step, jobs still finish about in order, and only about ``workers`` jobs are in
progress at any time, which bounds what an interruption loses.

When all the steps of a job are done, ``on_done(job, results)`` runs in the worker thread.
After a step fails, or on Ctrl-C in the calling thread, no new job starts: the jobs in
progress run to their end (a failed job's other steps are dropped), then the first error
is raised.
"""

from __future__ import annotations

import heapq
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

__all__ = ["Step", "run_jobs"]

T = TypeVar("T")


@dataclass(frozen=True)
class Step(Generic[T]):
    """One call of a job."""

    name: str
    """Unique within its job; the key of its result."""
    needs: tuple[str, ...]
    """The steps of the same job whose results it reads."""
    run: Callable[[Mapping[str, T]], T]
    """Makes the call, given the results of ``needs`` by name."""


def run_jobs(jobs: Sequence[Sequence[Step[T]]], workers: int, on_done: Callable[[int, dict[str, T]], None]) -> None:
    """Run every step of every job, at most ``workers`` at once; see the module docstring."""
    queue = _Queue(jobs, on_done)
    threads = [threading.Thread(target=queue.work, name=f"work-queue-{i}") for i in range(max(1, workers))]
    for thread in threads:
        thread.start()
    try:
        for thread in threads:
            thread.join()
    except BaseException:  # Ctrl-C: finish (and report) the jobs in progress, start no other
        queue.stop()
        for thread in threads:
            thread.join()
        raise
    if queue.error is not None:
        raise queue.error


class _Queue(Generic[T]):
    def __init__(self, jobs: Sequence[Sequence[Step[T]]], on_done: Callable[[int, dict[str, T]], None]) -> None:
        self.jobs = [tuple(job) for job in jobs]
        for job in self.jobs:
            names = [step.name for step in job]
            if len(set(names)) != len(names) or any(set(s.needs) - set(names) for s in job):
                raise ValueError(f"steps need unique names and known needs: {names}")
        self.on_done = on_done
        self.results: list[dict[str, T]] = [{} for _ in self.jobs]
        self.queued: list[set[str]] = [{s.name for s in job if not s.needs} for job in self.jobs]
        self.ready = [(j, i) for j, job in enumerate(self.jobs) for i, step in enumerate(job) if not step.needs]
        heapq.heapify(self.ready)
        self.started: set[int] = set()
        self.failed: set[int] = set()
        self.in_flight = 0
        self.error: BaseException | None = None
        self.stopping = False
        self.cond = threading.Condition()

    def stop(self) -> None:
        """Start no new job (the ones in progress go on)."""
        with self.cond:
            self.stopping = True
            self._prune()
            self.cond.notify_all()

    def _prune(self) -> None:
        keep = [(j, i) for j, i in self.ready if j not in self.failed and (j in self.started or not self.stopping)]
        self.ready = keep
        heapq.heapify(self.ready)

    def _take(self) -> tuple[int, Step[T], dict[str, T]] | None:
        with self.cond:
            while not self.ready and self.in_flight:
                self.cond.wait()
            if not self.ready:
                return None
            job, index = heapq.heappop(self.ready)
            self.started.add(job)
            self.in_flight += 1
            step = self.jobs[job][index]
            return job, step, {name: self.results[job][name] for name in step.needs}

    def work(self) -> None:
        """A worker thread: take ready steps until none is left and none is in flight."""
        while (taken := self._take()) is not None:
            job, step, inputs = taken
            try:
                result = step.run(inputs)
            except BaseException as exc:  # raised by run_jobs once the jobs in progress are done
                self._fail(job, exc)
                continue
            if self._finish(job, step, result):
                try:
                    self.on_done(job, self.results[job])
                except BaseException as exc:  # a checkpoint that cannot be written fails the build
                    self._fail(job, exc, finished=True)

    def _finish(self, job: int, step: Step[T], result: T) -> bool:
        """Record a result, queue the steps it made ready; True when the job is complete."""
        with self.cond:
            self.in_flight -= 1
            done = self.results[job]
            done[step.name] = result
            for index, other in enumerate(self.jobs[job]):
                if job in self.failed:
                    break
                if other.name not in self.queued[job] and all(n in done for n in other.needs):
                    self.queued[job].add(other.name)
                    heapq.heappush(self.ready, (job, index))
            self.cond.notify_all()
            return len(done) == len(self.jobs[job])

    def _fail(self, job: int, exc: BaseException, *, finished: bool = False) -> None:
        with self.cond:
            if not finished:
                self.in_flight -= 1
            self.error = self.error or exc
            self.failed.add(job)
            self.stopping = True
            self._prune()
            self.cond.notify_all()
