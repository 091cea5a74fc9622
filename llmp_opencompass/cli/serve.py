"""``llmp-opencompass serve``: run the embedded model on loopback, alone or around a command.

``llmp-opencompass serve`` prints the URL and the variables to use, and serves until
Ctrl-C (or SIGTERM, SIGHUP).

``llmp-opencompass serve -- opencompass configs/llmp_prompt.py`` starts the server, runs
the command with ``OPENAI_BASE_URL``, ``LLMP_MODEL`` and ``LLMP_ENDPOINT_SLOTS`` pointing
at it, then stops the server. SIGTERM, SIGINT (Ctrl-C) and SIGHUP stop the command and
everything it started (the signal, then SIGKILL after ``--grace`` seconds) and the
server; the exit status is the command's (128 + N when signal N ended it).

The server decodes one request at a time. ``LLMP_ENDPOINT_SLOTS=1`` makes every process
of the package (all of OpenCompass's tasks together) send it one call at a time; the
others wait on this machine, not in the server's queue, where a request timeout would
abandon them and a retry would queue them again. The server also declares its one slot
while it runs, so processes that only have its URL keep to it as well.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from ..servers.embedded import LocalModelServer, LocalServerConfig
from ..servers.supervise import ignore_stop_signals, run_command, stop_signals_exit
from ..settings.locations import slot_dir

__all__ = ["register", "server_environment"]

_NOT_FOUND = 127


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``serve`` subcommand."""
    parser = subparsers.add_parser(
        "serve",
        help="serve the embedded SmolLM2 model on loopback (optionally around a command)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--port", type=int, default=0, help="TCP port (default: a free one)")
    parser.add_argument("--n-ctx", type=int, default=4096, help="context window in tokens")
    parser.add_argument(
        "--threads", type=int, default=None,
        help="CPU threads for decoding (default: 2, or 1 when the machine is busy: llama.cpp's threads spin)",
    )  # fmt: skip
    parser.add_argument("--log", type=Path, default=None, help="write the server's log to this file")
    parser.add_argument(
        "--grace", type=float, default=10.0, help="seconds between a stop signal and SIGKILL (default: 10)"
    )
    parser.add_argument(
        "--prompt-cache-mb", type=int, default=0,
        help=("size of llama.cpp's prompt cache, which spares re-reading a persona prompt (default: 0, none); "
              "the server's memory grows by up to 4-10 times this"),
    )  # fmt: skip
    parser.add_argument("command", nargs=argparse.REMAINDER, help="command to run while serving (after --)")
    parser.set_defaults(func=_serve)


def server_environment(server: LocalModelServer) -> dict[str, str]:
    """The variables that point the package (and any OpenAI client) at ``server``."""
    return {"OPENAI_BASE_URL": server.base_url, "LLMP_MODEL": server.model, "LLMP_ENDPOINT_SLOTS": str(server.slots)}


def _serve(args: argparse.Namespace) -> int:
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    config = LocalServerConfig(
        port=args.port, n_ctx=args.n_ctx, n_threads=args.threads, log_path=args.log,
        prompt_cache_mb=args.prompt_cache_mb, slot_dir=slot_dir(os.environ),
    )  # fmt: skip
    server = LocalModelServer(config)
    try:
        with stop_signals_exit():  # until the command runs, and while serving alone, a signal ends here
            server.start()
            variables = server_environment(server)
            where = f"{server.base_url} ({server.threads} decoding threads)"
            print(f"embedded model {server.model!r} serving at {where}", flush=True)
            if not command:
                print("use: " + " ".join(f"{k}={v}" for k, v in variables.items()), flush=True)
                print("press Ctrl-C to stop", flush=True)
                while True:
                    time.sleep(3600)
            try:
                return run_command(command, {**os.environ, **variables}, grace=args.grace)
            except FileNotFoundError:
                print(f"llmp-opencompass serve: command not found: {command[0]}", file=sys.stderr, flush=True)
                return _NOT_FOUND
    except KeyboardInterrupt:  # a SIGINT before the handlers were in place
        return 130
    finally:
        with ignore_stop_signals():  # a second Ctrl-C must not leave the server running
            server.stop()
        print("embedded model server stopped", file=sys.stderr, flush=True)
