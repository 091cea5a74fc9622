"""What a package's ``__init__`` binds a name to, read from its source without running it.

:mod:`.lazy_packages` defers the ``__init__`` of OpenCompass's big packages in task processes;
when a name is asked of such a package, :func:`binding` tells which submodule to import for
it, by reading the ``from .x import ...`` lines of the ``__init__`` and what the submodules
define (``__all__``, top-level definitions and imports, also inside ``if``/``try`` blocks,
not in a script's main block).
"""

from __future__ import annotations

import ast
import contextlib
from functools import cache
from pathlib import Path

__all__ = ["SUBMODULE", "binding"]

SUBMODULE = ("", "")
"""What :func:`_binding` returns when the attribute is the submodule of that name."""


def binding(init: Path, attr: str, top: str) -> tuple[str, str] | None:
    """Where the ``__init__`` at ``init`` binds ``attr`` from: (relative submodule, original
    name), :data:`SUBMODULE` when it is the submodule ``attr`` itself, or None when no
    ``from .x import ...`` line binds it.

    The last binding wins, as in the ``__init__``: importing ``.x`` binds ``x`` to the
    submodule, and a later star import may bind the name again (OpenCompass's
    ``opencompass.utils.logging`` is the standard ``logging`` module, which the submodule
    ``logging.py`` imports). A name that a submodule merely imports from ``top`` (this
    package), like ``from .logging import get_logger``, is the same object as where it is
    defined, so a line that defines or names it is preferred to such re-exports: the cheaper
    import (``icl_hf_evaluator`` re-exports ``BaseEvaluator`` and imports scipy and sympy).
    """
    defined: tuple[str, str] | None = None
    reexported: tuple[str, str] | None = None
    for submodule, names in _relative_imports(init):
        if submodule.split(".")[0] == attr:
            defined = SUBMODULE
        for original, bound in names:
            if original != "*":
                if bound == attr:
                    defined = (submodule, original)
                continue
            kind = _exports(init.parent, submodule, top).get(attr)
            if kind is True:
                defined = (submodule, attr)
            elif kind is False:
                reexported = (submodule, attr)
    return defined or reexported


@cache
def _relative_imports(path: Path) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """The module's top-level ``from .x import a as b`` lines: (x, ((a, b), ...)) in order."""
    lines = []
    for node in _tree(path).body:
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
            lines.append((node.module, tuple((a.name, a.asname or a.name) for a in node.names)))
    return tuple(lines)


@cache
def _exports(package_dir: Path, submodule: str, top: str) -> dict[str, bool]:
    """What ``from .submodule import *`` binds, read from the source: each name, and whether the
    submodule binds its own object to it (True: it defines it, or imports it from outside
    ``top``) or re-exports one of ``top`` (False). The names are ``__all__`` when it is a
    literal, else the top-level names not starting with ``_``; a package adds what its own
    star imports bind."""
    base = package_dir.joinpath(*submodule.split("."))
    path = base / "__init__.py" if base.is_dir() else base.with_suffix(".py")
    if not path.is_file():
        return {}
    names: dict[str, bool] = {}
    public: frozenset[str] | None = None
    for node in _top_level(_tree(path).body):
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            with contextlib.suppress(ValueError):  # not a literal: the top-level names below
                public = frozenset(ast.literal_eval(node.value))
        own = not _imports_from(node, top)
        for name in _bound_names(node):
            names[name] = names.get(name, False) or own
    if path.name == "__init__.py":
        for sub, imported_names in _relative_imports(path):
            if any(original == "*" for original, _ in imported_names):
                for name, own in _exports(path.parent, sub, top).items():
                    names[name] = names.get(name, False) or own
    if public is not None:
        return {name: names.get(name, False) for name in public}
    return {name: own for name, own in names.items() if not name.startswith("_")}


def _imports_from(node: ast.stmt, top: str) -> bool:
    """Whether ``node`` imports names from package ``top`` (relatively or by its name)."""
    if isinstance(node, ast.ImportFrom):
        return node.level > 0 or (node.module or "").split(".")[0] == top
    if isinstance(node, ast.Import):
        return all(alias.name.split(".")[0] == top for alias in node.names)
    return False


def _top_level(body: list[ast.stmt]) -> list[ast.stmt]:
    """The statements run at import time, also inside ``if``/``try``/``with`` blocks."""
    statements = []
    for node in body:
        statements.append(node)
        if isinstance(node, ast.If) and "__main__" in ast.unparse(node.test):
            continue  # a script's main block does not run on import
        if isinstance(node, ast.If | ast.With):
            statements += _top_level(node.body) + _top_level(getattr(node, "orelse", []))
        elif isinstance(node, ast.Try):
            handlers = [stmt for handler in node.handlers for stmt in handler.body]
            statements += _top_level(node.body + handlers + node.orelse + node.finalbody)
    return statements


def _bound_names(node: ast.stmt) -> list[str]:
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return [node.name]
    if isinstance(node, ast.Assign):
        return [t.id for t in node.targets if isinstance(t, ast.Name)]
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return [node.target.id]
    if isinstance(node, ast.Import | ast.ImportFrom):
        return [(a.asname or a.name).split(".")[0] for a in node.names if a.name != "*"]
    return []


@cache
def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), str(path))
