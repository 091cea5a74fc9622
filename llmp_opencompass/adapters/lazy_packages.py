"""OpenCompass's package-wide imports, deferred in this package's task processes.

Importing ``opencompass.tasks.openicl_infer`` runs ``opencompass/tasks/__init__.py``, which
imports every task, and through them every dataset module (``opencompass.datasets``, some
200), every model wrapper (``opencompass.models``), every evaluator and retriever: about
half of a task process's start-up, for classes a task of this package never uses.

:func:`install` puts a stand-in for each package of :data:`PACKAGES` in ``sys.modules``
before anything imports them. A stand-in is the real package (same ``__path__``, so its
submodules import as usual) whose ``__init__`` has not run. A name asked of it resolves
the way the ``__init__`` would have bound it, importing only what that needs:
- a submodule (``opencompass.openicl.icl_retriever``) is imported;
- a name the ``__init__`` takes from a submodule (``from .build import *``,
  ``from .base_api import BaseAPIModel``) imports that submodule, found by reading the
  ``__init__`` and the submodules' sources (the last ``from`` line binding it wins, as it
  would in the ``__init__``);
- anything else (``__all__``, a name bound otherwise) runs the real ``__init__`` once, and
  the package is then exactly what it would have been.

OpenCompass's registries import their ``locations`` (``opencompass.datasets``...) before
any lookup. With the stand-ins, a dotted ``type`` (every ``type`` of this package's configs,
and of any config that imports its classes) is imported directly, and a bare registry name
(``type='GenInferencer'``) first runs the ``__init__`` of the registry's locations, so it
finds what it always found.
"""

from __future__ import annotations

import ast
import contextlib
import importlib
import importlib.util
import sys
import threading
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

__all__ = ["PACKAGES", "install", "is_stand_in", "load_fully"]

PACKAGES = (
    "opencompass.tasks",
    "opencompass.datasets",
    "opencompass.models",
    "opencompass.utils",
    "opencompass.evaluator",
    "opencompass.openicl",
    "opencompass.openicl.icl_evaluator",
    "opencompass.openicl.icl_inferencer",
    "opencompass.openicl.icl_retriever",
)
"""Packages whose ``__init__`` is deferred (parents before children)."""

_LOCK = threading.RLock()
_ORIGINAL: dict[str, Any] = {}


def install() -> None:
    """Put the stand-ins in place (a package already imported stays as it is) and make the
    OpenCompass registries resolve dotted types without importing their locations."""
    with _LOCK:
        for name in PACKAGES:
            if name not in sys.modules:
                _stand_in(name)
        _patch_registry()


def is_stand_in(module: ModuleType) -> bool:
    """Whether ``module`` is a stand-in whose ``__init__`` has not run yet."""
    return isinstance(module.__dict__.get("__getattr__"), _Resolver)


def load_fully(name: str) -> ModuleType:
    """Import ``name``; a stand-in runs its real ``__init__`` first."""
    module = importlib.import_module(name)
    resolver = module.__dict__.get("__getattr__")
    if isinstance(resolver, _Resolver):
        resolver.load()
    return module


def _stand_in(name: str) -> None:
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None or not spec.submodule_search_locations or not spec.origin:
        return  # not a package here: leave it to the normal import
    module = importlib.util.module_from_spec(spec)
    module.__class__ = _StandIn
    module.__getattr__ = _Resolver(module, spec)  # type: ignore[method-assign]
    sys.modules[name] = module
    parent, _, child = name.rpartition(".")
    setattr(importlib.import_module(parent), child, module)


class _StandIn(ModuleType):
    """A deferred package. Importing a submodule binds it as an attribute of its package; when
    the ``__init__`` binds that name to something else (``opencompass.utils.logging`` is the
    standard ``logging``), the resolver gives that instead, as the real package would."""

    def __setattr__(self, name: str, value: Any) -> None:
        resolver = self.__dict__.get("__getattr__")
        if isinstance(resolver, _Resolver) and isinstance(value, ModuleType) and resolver.rebinds(name):
            return
        super().__setattr__(name, value)


class _Resolver:
    """The stand-in's module ``__getattr__`` (PEP 562): called for names it does not have yet."""

    def __init__(self, module: ModuleType, spec: importlib.machinery.ModuleSpec) -> None:
        self.module = module
        self.spec = spec
        self.name = spec.name

    def __call__(self, attr: str) -> Any:
        if attr.startswith("__") and attr != "__all__":
            raise AttributeError(f"module {self.name!r} has no attribute {attr!r}")
        if attr != "__all__":
            source = _binding(Path(self.spec.origin or ""), attr, self.name.split(".")[0])
            if source is not None and source != _SUBMODULE:
                submodule, original = source
                return getattr(importlib.import_module(f"{self.name}.{submodule}"), original)
            if importlib.util.find_spec(f"{self.name}.{attr}") is not None:
                return importlib.import_module(f"{self.name}.{attr}")
        self.load()
        try:
            return self.module.__dict__[attr]
        except KeyError:
            raise AttributeError(f"module {self.name!r} has no attribute {attr!r}") from None

    def rebinds(self, submodule: str) -> bool:
        """Whether the ``__init__`` binds the name of ``submodule`` to another object."""
        return _binding(Path(self.spec.origin or ""), submodule, self.name.split(".")[0]) not in (None, _SUBMODULE)

    def load(self) -> None:
        """Run the package's real ``__init__`` in the stand-in, once."""
        with _LOCK:
            if self.module.__dict__.get("__getattr__") is not self:
                return
            del self.module.__dict__["__getattr__"]
            self.spec.loader.exec_module(self.module)  # type: ignore[union-attr]


_SUBMODULE = ("", "")
"""What :func:`_binding` returns when the attribute is the submodule of that name."""


def _binding(init: Path, attr: str, top: str) -> tuple[str, str] | None:
    """Where the ``__init__`` at ``init`` binds ``attr`` from: (relative submodule, original
    name), :data:`_SUBMODULE` when it is the submodule ``attr`` itself, or None when no
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
            defined = _SUBMODULE
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


def _patch_registry() -> None:
    """OpenCompass registries: a dotted type is imported without importing the registry's
    locations; any other lookup runs the locations' real ``__init__`` first, and one that
    still finds nothing runs every deferred ``__init__`` (modules register names in registries
    other than their own, e.g. the datasets' text postprocessors) and looks again."""
    from mmengine.utils import get_object_from_string
    from opencompass.registry import Registry

    if _ORIGINAL:
        return
    _ORIGINAL.update(get=Registry.get, import_from_location=Registry.import_from_location)

    def get(self: Registry, key: str) -> Any:
        if isinstance(key, str) and "." in key:
            try:
                found = get_object_from_string(key)
            except Exception:  # the registry's own lookup below reports it, as it always did
                found = None
            if found is not None:
                return found
        found = _ORIGINAL["get"](self, key)
        if found is None and _load_all():
            found = _ORIGINAL["get"](self, key)
        return found

    def import_from_location(self: Registry) -> None:
        if not self._imported:
            for location in self._locations:
                load_fully(location)
        _ORIGINAL["import_from_location"](self)

    Registry.get = get  # type: ignore[method-assign]
    Registry.import_from_location = import_from_location  # type: ignore[method-assign]


def _load_all() -> bool:
    """Run every deferred ``__init__`` still pending; False when none was."""
    pending = [name for name in PACKAGES if name in sys.modules and is_stand_in(sys.modules[name])]
    for name in pending:
        load_fully(name)
    return bool(pending)
