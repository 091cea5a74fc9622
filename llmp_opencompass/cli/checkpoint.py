"""``llmp-opencompass convert-smollm2``: the embedded SmolLM2 as a transformers checkpoint.

Prints the checkpoint's directory (converted once, then reused), for OpenCompass's HF
model classes and for FastChat::

    opencompass --datasets llmp_selfreport_gen --hf-type chat --hf-num-gpus 0 \\
        --hf-path "$(llmp-opencompass convert-smollm2)"
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from ..settings.locations import cache_base

__all__ = ["convert_smollm2", "register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``convert-smollm2`` subcommand."""
    parser = subparsers.add_parser(
        "convert-smollm2",
        help="convert the embedded SmolLM2 GGUF into a transformers checkpoint (HF classes, FastChat)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_out_argument(parser)
    parser.set_defaults(func=convert_smollm2)


def add_out_argument(parser: argparse.ArgumentParser) -> None:
    """The ``--out`` option of the conversion."""
    parser.add_argument("--out", type=Path, help="output directory (default: in the user cache)")


def convert_smollm2(args: argparse.Namespace) -> int:
    """Convert (once) and print the directory."""
    from ..servers.checkpoint import convert_gguf, smollm2_hf_dir

    print(convert_gguf(None, args.out or smollm2_hf_dir(cache_base(os.environ))))
    return 0
