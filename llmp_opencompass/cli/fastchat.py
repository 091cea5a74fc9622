"""``llmp-opencompass fastchat up|down|status|convert-smollm2``: a local FastChat endpoint.

Example (a GPU machine with Llama-2-7b-chat downloaded to ./Llama-2-7b-chat-hf)::

    llmp-opencompass fastchat up --model-path ./Llama-2-7b-chat-hf --device cuda --num-gpus 1
    OPENAI_BASE_URL=http://127.0.0.1:8000/v1 LLMP_MODEL=Llama-2-7b-chat-hf opencompass configs/llmp_prompt.py
    llmp-opencompass fastchat down
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
from pathlib import Path

from ..settings.locations import cache_base

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``fastchat`` subcommand."""
    parser = subparsers.add_parser(
        "fastchat", help="start/stop a local FastChat OpenAI-compatible server", description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip
    sub = parser.add_subparsers(dest="fastchat_command", metavar="ACTION", required=True)

    up = sub.add_parser("up", help="start controller, model worker and API server; wait until ready")
    up.add_argument("--model-path", required=True, help="transformers model directory (or hub id)")
    up.add_argument("--model-name", help="name to serve it under (default: the directory's name)")
    up.add_argument("--conv-template", help="FastChat conversation template (default: chosen from the name)")
    up.add_argument("--device", default="cpu", choices=["cpu", "cuda", "mps"], help="where the model runs")
    up.add_argument("--num-gpus", type=int, default=1, help="GPUs for --device cuda")
    up.add_argument("--timeout", type=float, default=600.0, help="seconds to wait for the model to load")
    up.add_argument("--host", default="127.0.0.1", help="interface to serve on (default loopback; 0.0.0.0 serves "
                    "other machines too, such as a cluster's compute nodes)")  # fmt: skip
    _ports(up)
    up.set_defaults(func=_up)

    down = sub.add_parser("down", help="stop the processes `up` started")
    _ports(down, api_only=True)
    down.set_defaults(func=_down)

    status = sub.add_parser("status", help="show the running stack, if any")
    _ports(status, api_only=True)
    status.set_defaults(func=_status)

    convert = sub.add_parser("convert-smollm2", help="convert the embedded SmolLM2 GGUF for FastChat")
    convert.add_argument("--out", type=Path, help="output directory (default: in the user cache)")
    convert.set_defaults(func=_convert)


def _ports(parser: argparse.ArgumentParser, api_only: bool = False) -> None:
    parser.add_argument("--port", type=int, default=8000, help="port of the OpenAI-compatible API")
    parser.add_argument("--state-dir", type=Path, help="logs and state (default: <cache>/fastchat/<port>)")
    if not api_only:
        parser.add_argument("--controller-port", type=int, default=21001)
        parser.add_argument("--worker-port", type=int, default=21002)


def _state_dir(args: argparse.Namespace) -> Path:
    return args.state_dir or cache_base(os.environ) / "fastchat" / str(args.port)


def _up(args: argparse.Namespace) -> int:
    from ..servers.fastchat.stack import FastChatConfig, FastChatStack
    from ..servers.fastchat.templates import choose_conv_template

    name = args.model_name or Path(args.model_path.rstrip("/")).name
    template = choose_conv_template(args.model_path, name, args.conv_template)
    if template.warning:
        print(f"warning: {template.warning}", file=sys.stderr)
    print(f"conversation template: {template.name or 'FastChat default'} ({template.reason})")
    config = FastChatConfig(
        model_path=args.model_path, model_name=name, state_dir=_state_dir(args), conv_template=template.name,
        api_port=args.port, controller_port=args.controller_port, worker_port=args.worker_port,
        device=args.device, num_gpus=args.num_gpus, ready_timeout=args.timeout, host=args.host,
    )  # fmt: skip
    state = FastChatStack(config).up()
    url = state.base_url.replace("//0.0.0.0:", f"//{socket.gethostname()}:")  # what other machines use
    print(f"FastChat serves {state.model_name!r} at {url} (logs in {config.state_dir})")
    print(f"use: OPENAI_BASE_URL={url} LLMP_MODEL={state.model_name}")
    return 0


def _down(args: argparse.Namespace) -> int:
    from ..servers.fastchat.stack import FastChatStack

    stopped = FastChatStack.down(_state_dir(args))
    print(f"stopped: {', '.join(stopped)}" if stopped else "no FastChat stack was running")
    return 0


def _status(args: argparse.Namespace) -> int:
    from ..servers.fastchat.stack import StackState

    state = StackState.load(_state_dir(args))
    if state is None:
        print("no FastChat stack was started from", _state_dir(args))
        return 1
    print(f"{state.model_name!r} at {state.base_url}; processes: " + ", ".join(
        f"{p.name} (pid {p.pid})" for p in state.processes))  # fmt: skip
    return 0


def _convert(args: argparse.Namespace) -> int:
    from ..servers.fastchat.convert import convert_gguf, smollm2_hf_dir

    out = convert_gguf(None, args.out or smollm2_hf_dir(cache_base(os.environ)))
    print(out)
    return 0
