"""Our configs' stages kept under OpenCompass's cluster launchers (``--slurm``, ``--dlc``).

``opencompass CONFIG --slurm -p P`` does not just swap the runner: its CLI
(``opencompass/cli/main.py``) calls ``fill_infer_cfg`` / ``fill_eval_cfg``
(``opencompass/utils/run.py``), which merge OpenCompass's default stages over the
config's own ``infer`` and ``eval``: ``NumWorkerPartitioner(num_worker=--max-num-workers)``
with ``OpenICLInferTask`` for inference, ``NaivePartitioner`` with ``OpenICLEvalTask``
for evaluation, and a ``SlurmRunner`` (or ``DLCRunner``) with ``partition``,
``quotatype``, ``qos``, ``retry`` and ``max_num_workers`` from the command line. The
config's other keys stay, so on main ``GroupedPartitioner``'s ``num_tasks`` reached
``NumWorkerPartitioner`` and the run died with a ``TypeError``.

OpenCompass's stock stages would run, but slowly for these runs: one task per
(method, character) model at least, each paying about 6 s of start-up plus the
runner's random 0-10 s pause before every ``srun``, and the datasets of a task one
after another. So, for stages built by this package only (their partitioner is
:class:`~.partitioner.GroupedPartitioner`), the running ``opencompass`` command's two
functions are wrapped: OpenCompass's own function runs first and sets the runner
exactly as for any config; then the config's partitioner and task are put back, with
the partitioner's ``num_worker`` set to ``--max-num-workers`` (OpenCompass's meaning:
the tasks run at once, here also the tasks made). Any other config is untouched.

The wrapping happens when a builder runs (config parse time, in the ``opencompass``
process, before the stages are filled) and only in that process. If OpenCompass no
longer has these functions, a ``--slurm`` / ``--dlc`` run stops with an error instead of
silently running the slow stock stages.
"""

from __future__ import annotations

import copy
import functools
import sys
from collections.abc import Callable, MutableMapping, Sequence
from typing import Any

from ..errors import ConfigError

__all__ = ["GROUPED_PARTITIONER", "keep_stage", "keep_stages_under_launchers"]

GROUPED_PARTITIONER = "llmp_opencompass.adapters.partitioner.GroupedPartitioner"
_CLI_MODULE = "opencompass.cli.main"
_FILLERS = {"fill_infer_cfg": "infer", "fill_eval_cfg": "eval"}
_LAUNCH_FLAGS = ("--slurm", "--dlc")
_MARK = "_llmp_keeps_stages"


def keep_stage(before: MutableMapping[str, Any], after: MutableMapping[str, Any], workers: int) -> None:
    """Put the partitioner and task of ``before`` (a stage of ours) back into ``after`` (the
    stage as OpenCompass filled it), with ``workers`` tasks; ``after``'s runner stays."""
    after["partitioner"] = {**before["partitioner"], "num_worker": max(1, int(workers))}
    after["runner"]["task"] = copy.deepcopy(before["runner"]["task"])


def _is_ours(stage: object) -> bool:
    return isinstance(stage, MutableMapping) and (stage.get("partitioner") or {}).get("type") == GROUPED_PARTITIONER


def _keeping(fill: Callable[[Any, Any], None], stage: str) -> Callable[[Any, Any], None]:
    @functools.wraps(fill)
    def fill_keeping_llmp_stage(cfg: Any, args: Any) -> None:
        before = copy.deepcopy(cfg.get(stage)) if _is_ours(cfg.get(stage)) else None
        fill(cfg, args)
        if before is not None:
            keep_stage(before, cfg[stage], args.max_num_workers)

    setattr(fill_keeping_llmp_stage, _MARK, True)
    return fill_keeping_llmp_stage


def keep_stages_under_launchers(argv: Sequence[str] | None = None) -> bool:
    """Wrap the running ``opencompass`` command's stage fillers (once); True when they are wrapped.

    Outside the ``opencompass`` command nothing overrides the stages and nothing is done.
    """
    cli = sys.modules.get(_CLI_MODULE)
    if cli is None:
        return False
    missing = [name for name in _FILLERS if not callable(getattr(cli, name, None))]
    if missing:
        argv = sys.argv if argv is None else argv
        if any(flag in argv for flag in _LAUNCH_FLAGS):
            raise ConfigError(
                f"this opencompass has no {', '.join(missing)} in {_CLI_MODULE}, which llmp_opencompass needs "
                "to keep its partitioner and inference task under --slurm/--dlc; use opencompass 0.5.4 "
                "(pip install -c constraints.txt -e .)"
            )
        return False
    for name, stage in _FILLERS.items():
        fill = getattr(cli, name)
        if not getattr(fill, _MARK, False):
            setattr(cli, name, _keeping(fill, stage))
    return True
