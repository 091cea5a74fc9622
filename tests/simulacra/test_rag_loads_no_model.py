"""With the default retriever (TF-IDF), nothing on RAG's path imports torch or sentence-transformers:
the config parse, the RAG method answering, the drop-in RAG dataset (whose torch comes from
OpenCompass's own dataset base class) and a rerun that finds every retrieval cached (no
scikit-learn either). Each check runs in a fresh interpreter."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

_MODULES = ("torch", "sentence_transformers", "transformers", "sklearn")


def _loaded_after(code: str, data: Path, cache: Path) -> dict[str, bool]:
    report = f"import json, sys\nprint(json.dumps({{m: m in sys.modules for m in {_MODULES!r}}}))"
    script = f"{textwrap.dedent(code)}\n{report}"
    env = {"LLMP_DATA_DIR": str(data), "LLMP_CACHE_DIR": str(cache), "LLMP_MODEL": "m", "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


_ANSWER = """
    import os
    from pathlib import Path
    from llmp_opencompass.llm import ChatResponse, GenerationConfig
    from llmp_opencompass.settings.data import open_data
    from llmp_opencompass.simulacra import MethodOptions, Stimulus, build_simulacrum

    class Chat:
        def complete(self, messages, config):
            return ChatResponse("The answer is A.")

    store = open_data(os.environ)
    card = store.character("Mary Jones")
    options = MethodOptions(index_cache_dir=Path(os.environ["LLMP_CACHE_DIR"]) / "indexes")
    rag = build_simulacrum("rag", Chat(), card, story=store.story(card.name), options=options)
    rag.respond([], GenerationConfig(), Stimulus("Where did you grow up?", ("Boston", "Paris")))
"""


def test_config_parse_imports_no_model(shared_data_dir: Path, tmp_path: Path) -> None:
    code = "from llmp_opencompass.adapters.selfreport.builder import build\nbuild(('rag', 'macm'))"
    assert _loaded_after(code, shared_data_dir, tmp_path) == dict.fromkeys(_MODULES, False)


def test_the_rag_method_answers_without_torch_and_a_cached_rerun_without_sklearn(
    shared_data_dir: Path, tmp_path: Path
) -> None:
    first = _loaded_after(_ANSWER, shared_data_dir, tmp_path)
    assert first == {"torch": False, "sentence_transformers": False, "transformers": False, "sklearn": True}
    assert _loaded_after(_ANSWER, shared_data_dir, tmp_path) == dict.fromkeys(_MODULES, False)


def test_the_dropin_rag_dataset_loads_no_embedding_model(shared_data_dir: Path, tmp_path: Path) -> None:
    characters = str(shared_data_dir / "LLMP" / "Characters")
    code = f"""
        from llmp_opencompass.adapters.selfreport.rag_dataset import SelfReportRagDataset
        rows = SelfReportRagDataset.load("Mary Jones", "Cloze", data_dir={characters!r})
        assert len(rows) == 5 and all(rows["memories"])
    """
    assert _loaded_after(code, shared_data_dir, tmp_path)["sentence_transformers"] is False
