"""Task processes defer OpenCompass's package-wide imports, and every name still resolves as before.

Each check runs in a fresh interpreter: the stand-ins change ``sys.modules`` for good.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from llmp_opencompass.adapters.lazy_packages import PACKAGES

_OURS = [
    "llmp_opencompass.adapters.infer_task",
    "llmp_opencompass.adapters.eval_task",
    "llmp_opencompass.adapters.model",
    "llmp_opencompass.adapters.usage",
    "llmp_opencompass.adapters.selfreport.dataset",
    "llmp_opencompass.adapters.selfreport.rag_dataset",
    "llmp_opencompass.adapters.selfreport.evaluator",
]


def _run(code: str) -> dict:
    """Run ``code`` (which prints one JSON line last) in a fresh interpreter."""
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_task_process_imports_none_of_the_dataset_and_model_zoo():
    seen = _run(f"""
        import json, sys
        from llmp_opencompass.adapters import lazy_packages
        lazy_packages.install()
        for name in {_OURS!r}:
            __import__(name)
        print(json.dumps({{
            "datasets": sorted(m for m in sys.modules if m.startswith("opencompass.datasets.")),
            "models": sorted(m for m in sys.modules if m.startswith("opencompass.models.")),
            "tasks": sorted(m for m in sys.modules if m.startswith("opencompass.tasks.")),
            "deferred": [n for n in lazy_packages.PACKAGES if lazy_packages.is_stand_in(sys.modules[n])],
        }}))
    """)
    assert seen["datasets"] == ["opencompass.datasets.base"]
    assert seen["models"] == ["opencompass.models.base", "opencompass.models.base_api"]
    assert seen["tasks"] == [f"opencompass.tasks.{m}" for m in ("base", "openicl_eval", "openicl_infer")]
    assert {"opencompass.tasks", "opencompass.datasets", "opencompass.models"} <= set(seen["deferred"])


def test_registry_lookups_find_what_they_always_found():
    seen = _run("""
        import json, sys
        from llmp_opencompass.adapters import lazy_packages
        lazy_packages.install()
        from opencompass.registry import ICL_INFERENCERS, LOAD_DATASET, TEXT_POSTPROCESSORS

        dotted = LOAD_DATASET.get("llmp_opencompass.adapters.selfreport.dataset.SelfReportDataset")
        deferred_after_dotted = lazy_packages.is_stand_in(sys.modules["opencompass.datasets"])
        gen = ICL_INFERENCERS.get("GenInferencer")  # a bare name: the registry's location runs its __init__
        gsm8k = TEXT_POSTPROCESSORS.get("gsm8k")  # registered by a dataset module, not by the registry's location
        print(json.dumps({
            "dotted": dotted.__name__,
            "deferred_after_dotted": deferred_after_dotted,
            "gen": f"{gen.__module__}.{gen.__name__}",
            "gsm8k": f"{gsm8k.__module__}.{gsm8k.__name__}",
            "first_capital": TEXT_POSTPROCESSORS.get("first-capital").__name__,
            "unknown": TEXT_POSTPROCESSORS.get("no-such-postprocessor") is None,
        }))
    """)
    assert seen == {
        "dotted": "SelfReportDataset",
        "deferred_after_dotted": True,
        "gen": "opencompass.openicl.icl_inferencer.icl_gen_inferencer.GenInferencer",
        "gsm8k": "opencompass.datasets.gsm8k.gsm8k_postprocess",
        "first_capital": "first_capital_postprocess",
        "unknown": True,
    }


_IDENTITIES = """
    import json, sys, types
    {setup}
    def identity(value):
        if isinstance(value, types.ModuleType):
            return "module " + value.__name__
        module, name = getattr(value, "__module__", None), getattr(value, "__qualname__", None)
        return f"{{module}}.{{name}}" if module and name else type(value).__name__
    packages = {packages!r}
    found = {{}}
    for package in packages:
        names = {names}
        module = sys.modules.get(package) or __import__(package, fromlist=["_"])
        found[package] = {{name: identity(getattr(module, name)) for name in names}}
    print(json.dumps(found))
"""


@pytest.mark.slow
def test_every_name_of_a_deferred_package_is_the_object_the_real_package_binds():
    public = "[n for n in dir(__import__(package, fromlist=['_'])) if not n.startswith('_')]"
    real = _run(_IDENTITIES.format(setup="", packages=list(PACKAGES), names=public))
    names = {package: sorted(found) for package, found in real.items()}
    setup = "from llmp_opencompass.adapters import lazy_packages; lazy_packages.install()"
    lazy = _run(_IDENTITIES.format(setup=setup, packages=list(PACKAGES), names=f"{names!r}[package]"))
    assert lazy == real
