"""OpenCompass's dump of a run's config, written without yapf, as OpenCompass asks.

OpenCompass loads the config with ``Config.fromfile(path, format_python_code=False)``, writes
it to ``<work_dir>/<time>/configs/`` and reloads it from there: the dump need not be formatted.
mmengine (0.11.0rc3, ``Config.fromfile``) passes that flag on only for configs that import
something. This package's configs import nothing (mmengine would otherwise parse them lazily
and they could not call the builders), so the flag is lost and yapf reformats the whole
config before it is written: 325,000 characters for ``configs/llmp_all.py``, 8 s of CPU on
an idle machine and 15 s on a loaded one, in every run, before the first task starts.

:func:`dump_unformatted`, called by the builders (so in the process that parses the config),
makes ``Config.pretty_text`` honour the flag for the configs this package builds, recognised
by their ``infer`` task. The dump is the same config, written by mmengine's own formatter
(one key per line, indented) without yapf's reflowing. Other configs are left alone.
"""

from __future__ import annotations

from typing import Any

from mmengine.config import Config

__all__ = ["built_here", "dump_unformatted"]

_PACKAGE = __name__.split(".")[0]
_ORIGINAL: dict[str, Any] = {}


def built_here(config: Config) -> bool:
    """Whether ``config`` runs this package's inference task (it was built by its builders)."""
    infer = config.get("infer") or {}
    task = ((infer.get("runner") or {}).get("task") or {}).get("type", "")
    return isinstance(task, str) and task.startswith(f"{_PACKAGE}.")


def dump_unformatted() -> None:
    """From now on in this process, the configs built here are dumped without yapf (once)."""
    if _ORIGINAL:
        return
    _ORIGINAL["pretty_text"] = original = Config.pretty_text

    def pretty_text(self: Config) -> str:
        if self._format_python_code and built_here(self):
            object.__setattr__(self, "_format_python_code", False)  # as Config's own setters do
        return original.fget(self)  # type: ignore[union-attr]

    Config.pretty_text = property(pretty_text, doc=original.__doc__)  # type: ignore[method-assign]
