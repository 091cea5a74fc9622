"""``llmp-opencompass serve``: run the embedded model on loopback, alone or around a command.

``llmp-opencompass serve`` prints the URL and serves until Ctrl-C.
``llmp-opencompass serve -- opencompass configs/llmp_prompt.py`` starts the server,
runs the command with ``OPENAI_BASE_URL`` and ``LLMP_MODEL`` pointing at it, and
stops the server whatever happens (success, failure, Ctrl-C or SIGTERM).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType

from ..servers.embedded import LocalModelServer, LocalServerConfig

__all__ = ["register"]


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
    parser.add_argument("--threads", type=int, default=2, help="CPU threads for decoding")
    parser.add_argument("--log", type=Path, default=None, help="write the server's log to this file")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="command to run while serving (after --)")
    parser.set_defaults(func=_serve)


def _raise_exit(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def _serve(args: argparse.Namespace) -> int:
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    config = LocalServerConfig(port=args.port, n_ctx=args.n_ctx, n_threads=args.threads, log_path=args.log)
    previous = signal.signal(signal.SIGTERM, _raise_exit)  # so that `finally` stops the server
    server = LocalModelServer(config)
    try:
        server.start()
        print(f"embedded model {server.model!r} serving at {server.base_url}", flush=True)
        if not command:
            print("press Ctrl-C to stop", flush=True)
            while True:
                time.sleep(3600)
        env = dict(os.environ, OPENAI_BASE_URL=server.base_url, LLMP_MODEL=server.model)
        return subprocess.call(command, env=env)
    except KeyboardInterrupt:
        return 130
    finally:
        server.stop()
        signal.signal(signal.SIGTERM, previous)
        print("embedded model server stopped", file=sys.stderr, flush=True)
