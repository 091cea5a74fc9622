"""Start and stop a FastChat stack on loopback: controller, model worker, OpenAI API server.

``up`` starts the three processes in order (each in its own session, logging to
``<state_dir>/<name>.log``), waits until the API server lists the model, sends one
warm-up request, and writes ``<state_dir>/state.json`` with each process's pid and
start time. ``down`` stops exactly those processes, in reverse order: a pid that
now belongs to another process (same number, different start time) is left alone.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psutil

from ...errors import EndpointError

__all__ = ["FastChatConfig", "ProcessRecord", "StackState", "FastChatStack"]

_LAUNCH = "llmp_opencompass.servers.fastchat.launch"
STATE_FILE = "state.json"


@dataclass(frozen=True)
class FastChatConfig:
    """What to serve and where."""

    model_path: str
    """Local directory (or hub id) of a transformers model."""
    model_name: str
    """Name the API serves it under (use it as ``LLMP_MODEL``)."""
    state_dir: Path
    """Logs and ``state.json`` go here."""
    conv_template: str | None = None
    """FastChat conversation template; None lets FastChat detect it."""
    host: str = "127.0.0.1"
    """Interface of all three servers (loopback by default)."""
    api_port: int = 8000
    """Port of the OpenAI-compatible API."""
    controller_port: int = 21001
    """Port of the controller."""
    worker_port: int = 21002
    """Port of the model worker."""
    device: str = "cpu"
    """``cpu``, ``cuda`` or ``mps``."""
    num_gpus: int = 1
    """GPUs for the worker when ``device`` is ``cuda``."""
    ready_timeout: float = 600.0
    """Seconds to wait for the model to be listed (a 7B model loads in minutes)."""
    env: Mapping[str, str] = field(default_factory=dict)
    """Extra environment for the three processes."""

    @property
    def base_url(self) -> str:
        """The OpenAI-compatible base URL."""
        return f"http://{self.host}:{self.api_port}/v1"


@dataclass(frozen=True)
class ProcessRecord:
    """One started process."""

    name: str
    """controller, worker or api."""
    pid: int
    """Process id."""
    create_time: float
    """Start time as psutil reports it (tells a reused pid apart)."""
    log: str
    """Path of its log file."""


@dataclass(frozen=True)
class StackState:
    """What ``up`` started (persisted in ``state.json``)."""

    base_url: str
    """The OpenAI-compatible base URL."""
    model_name: str
    """The served model's name."""
    processes: tuple[ProcessRecord, ...]
    """In start order."""

    def save(self, state_dir: Path) -> Path:
        """Write ``state.json`` atomically."""
        path = state_dir / STATE_FILE
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(self), indent=2))
        tmp.replace(path)
        return path

    @classmethod
    def load(cls, state_dir: Path) -> StackState | None:
        """The saved state, or None when no stack was started from ``state_dir``."""
        path = state_dir / STATE_FILE
        if not path.is_file():
            return None
        data = json.loads(path.read_text())
        return cls(data["base_url"], data["model_name"], tuple(ProcessRecord(**p) for p in data["processes"]))


class FastChatStack:
    """Starts (``up``) and stops (``down``) one stack."""

    def __init__(self, config: FastChatConfig) -> None:
        self.config = config
        self.started: list[ProcessRecord] = []

    def up(self) -> StackState:
        """Start the stack and wait until it serves the model; on failure stop what was started."""
        config = self.config
        config.state_dir.mkdir(parents=True, exist_ok=True)
        if (existing := StackState.load(config.state_dir)) and _alive(existing.processes):
            raise EndpointError(
                f"a FastChat stack started from {config.state_dir} is still running ({existing.base_url}); "
                "run `llmp-opencompass fastchat down` first"
            )
        try:
            for name, command in self._commands():
                self.started.append(self._start(name, command))
                if name == "controller":
                    self._wait_port(config.controller_port)
            self._wait_listed()
            self._warm_up()
        except BaseException:
            _stop(self.started)
            raise
        state = StackState(config.base_url, config.model_name, tuple(self.started))
        state.save(config.state_dir)
        return state

    @staticmethod
    def down(state_dir: Path) -> list[str]:
        """Stop the processes recorded in ``state_dir``; return the names of those stopped."""
        state = StackState.load(state_dir)
        if state is None:
            return []
        stopped = _stop(state.processes)
        (state_dir / STATE_FILE).unlink(missing_ok=True)
        return stopped

    def _commands(self) -> list[tuple[str, list[str]]]:
        c = self.config
        controller = f"http://{c.host}:{c.controller_port}"
        worker = [
            "--host", c.host, "--port", str(c.worker_port), "--worker-address", f"http://{c.host}:{c.worker_port}",
            "--controller-address", controller, "--model-path", c.model_path, "--model-names", c.model_name,
            "--device", c.device,
        ]  # fmt: skip
        if c.device == "cuda":
            worker += ["--num-gpus", str(c.num_gpus)]
        if c.conv_template:
            worker += ["--conv-template", c.conv_template]
        python = [sys.executable, "-m"]
        return [
            ("controller", [*python, "fastchat.serve.controller", "--host", c.host, "--port", str(c.controller_port)]),
            ("worker", [*python, _LAUNCH, "fastchat.serve.model_worker", *worker]),
            ("api", [*python, _LAUNCH, "fastchat.serve.openai_api_server", "--host", c.host,
                     "--port", str(c.api_port), "--controller-address", controller]),
        ]  # fmt: skip

    def _start(self, name: str, command: Sequence[str]) -> ProcessRecord:
        log = self.config.state_dir / f"{name}.log"
        with log.open("ab") as handle:
            process = subprocess.Popen(
                list(command), stdout=handle, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True, env=_environment(self.config.env, self.config.state_dir),
            )  # fmt: skip
        return ProcessRecord(name, process.pid, psutil.Process(process.pid).create_time(), str(log))

    def _check_running(self) -> None:
        for record in self.started:
            if not _alive([record]):
                tail = Path(record.log).read_text(errors="replace")[-2000:]
                raise EndpointError(f"FastChat {record.name} exited during start-up; see {record.log}:\n{tail}")

    def _wait_port(self, port: int) -> None:
        self._poll(lambda: _get(f"http://{self.config.host}:{port}/") is not None, f"port {port}")

    def _wait_listed(self) -> None:
        def listed() -> bool:
            body = _get(f"{self.config.base_url}/models")
            return body is not None and self.config.model_name in body

        self._poll(listed, f"{self.config.model_name!r} at {self.config.base_url}/models")

    def _poll(self, ready: object, what: str) -> None:
        deadline = time.monotonic() + self.config.ready_timeout
        while time.monotonic() < deadline:
            self._check_running()
            if ready():  # type: ignore[operator]
                return
            time.sleep(0.5)
        raise EndpointError(f"FastChat did not serve {what} within {self.config.ready_timeout:.0f} s")

    def _warm_up(self) -> None:
        body = {"model": self.config.model_name, "messages": [{"role": "user", "content": "Hi"}], "max_tokens": 4}
        request = urllib.request.Request(
            f"{self.config.base_url}/chat/completions",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=self.config.ready_timeout) as response:
            response.read()


def _environment(extra: Mapping[str, str], state_dir: Path) -> dict[str, str]:
    # FastChat writes its own log files into $LOGDIR (default: the current directory)
    return {**os.environ, "LOGDIR": str(state_dir), **extra}


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:  # the port answers, even if not with 200
        return exc.reason if isinstance(exc.reason, str) else ""
    except (urllib.error.URLError, OSError):
        return None


def _same_process(record: ProcessRecord) -> psutil.Process | None:
    try:
        process = psutil.Process(record.pid)
        if abs(process.create_time() - record.create_time) < 0.01 and process.status() != psutil.STATUS_ZOMBIE:
            return process
    except psutil.Error:
        pass
    return None


def _alive(records: Sequence[ProcessRecord]) -> bool:
    return any(_same_process(r) is not None for r in records)


def _stop(records: Sequence[ProcessRecord]) -> list[str]:
    stopped = []
    for record in reversed(records):
        process = _same_process(record)
        if process is None:
            continue
        process.terminate()
        try:
            process.wait(timeout=15)
        except psutil.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)
        stopped.append(record.name)
    return stopped
