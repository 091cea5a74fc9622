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
  sources (:mod:`.init_bindings`);
- anything else (``__all__``, a name bound otherwise) runs the real ``__init__`` once, and
  the package is then exactly what it would have been.
A test checks that every public name of every deferred package resolves to the object the
real package binds.

OpenCompass's registries import their ``locations`` (``opencompass.datasets``...) before
any lookup. With the stand-ins, a dotted ``type`` (every ``type`` of this package's configs,
and of any config that imports its classes) is imported directly, and a bare registry name
(``type='GenInferencer'``) first runs the ``__init__`` of the registry's locations (and,
when still not found, every deferred ``__init__``), so it finds what it always found.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import threading
from pathlib import Path
from types import ModuleType
from typing import Any

from .init_bindings import SUBMODULE, binding

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
            source = binding(Path(self.spec.origin or ""), attr, self.name.split(".")[0])
            if source is not None and source != SUBMODULE:
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
        return binding(Path(self.spec.origin or ""), submodule, self.name.split(".")[0]) not in (None, SUBMODULE)

    def load(self) -> None:
        """Run the package's real ``__init__`` in the stand-in, once."""
        with _LOCK:
            if self.module.__dict__.get("__getattr__") is not self:
                return
            del self.module.__dict__["__getattr__"]
            self.spec.loader.exec_module(self.module)  # type: ignore[union-attr]


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
