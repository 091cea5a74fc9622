"""``python -m llmp_opencompass.servers.fastchat.launch MODULE [ARGS...]``: run a FastChat
server module (``fastchat.serve.model_worker``, ``fastchat.serve.openai_api_server``,
...) with the compatibility fixes of :mod:`.compat` applied first."""

from __future__ import annotations

import runpy
import sys

from .compat import apply_all


def main(argv: list[str]) -> None:
    """Apply the fixes, then run ``argv[0]`` as ``__main__`` with the remaining arguments."""
    if not argv:
        raise SystemExit("usage: python -m llmp_opencompass.servers.fastchat.launch MODULE [ARGS...]")
    apply_all()
    module, sys.argv = argv[0], [argv[0], *argv[1:]]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main(sys.argv[1:])
