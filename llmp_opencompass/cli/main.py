"""The ``llmp-opencompass`` command: one subcommand per area, each registered by its module."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from .. import __version__
from ..errors import LlmpError

__all__ = ["main", "build_parser"]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    from .cache import register as register_cache
    from .character import register as register_character
    from .chat import register as register_chat
    from .data import register as register_data
    from .fastchat import register as register_fastchat
    from .memory import register as register_memory
    from .observer import register as register_observer
    from .report import register as register_report
    from .serve import register as register_serve

    parser = argparse.ArgumentParser(
        prog="llmp-opencompass",
        description="Human Simulacra (arXiv:2402.18180) on OpenCompass: data, embedded model and tools.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    register_data(subparsers)
    register_serve(subparsers)
    register_chat(subparsers)
    register_memory(subparsers)
    register_character(subparsers)
    register_observer(subparsers)
    register_fastchat(subparsers)
    register_report(subparsers)
    register_cache(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one subcommand; errors of this package print one clear line and exit 2."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except LlmpError as exc:
        print(f"llmp-opencompass: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
