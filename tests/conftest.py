"""Shared fixtures.

Data comes from the shared local copy of the Human Simulacra files
(`../shared/human-simulacra` from the project root, or `LLMP_TEST_DATA_DIR`);
tests never reach the internet.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
pytest_plugins = ("tests.support.data_server", "tests.support.slurm")

# Tests (and the opencompass runs they start) never read or fill the user's LLM call
# cache; the tests of the cache itself turn it on with their own LLMP_CACHE_DIR.
os.environ["LLMP_CACHE"] = "off"


def _shared_data_dir() -> Path:
    override = os.environ.get("LLMP_TEST_DATA_DIR")
    return Path(override) if override else PROJECT_ROOT.parent / "shared" / "human-simulacra"


@pytest.fixture(scope="session")
def shared_data_dir() -> Path:
    """Root of the local Human Simulacra copy (holds `LLMP/Characters`)."""
    path = _shared_data_dir()
    if not (path / "LLMP" / "Characters").is_dir():
        pytest.fail(f"Human Simulacra test data not found at {path}; set LLMP_TEST_DATA_DIR")
    return path


@pytest.fixture(scope="session")
def embedded_server(tmp_path_factory: pytest.TempPathFactory):
    """The real embedded model (SmolLM2 GGUF) behind llama.cpp's OpenAI-compatible server on loopback."""
    from llmp_opencompass.servers.embedded import LocalModelServer, LocalServerConfig
    from llmp_opencompass.settings.locations import slot_dir

    log = tmp_path_factory.mktemp("embedded_server") / "server.log"
    # As `make demo` runs it: with llama.cpp's prompt cache, a persona prompt or a conversation
    # (the bandwagon sessions alternate) is read once, not again at every call.
    config = LocalServerConfig(log_path=log, slot_dir=slot_dir(os.environ), prompt_cache_mb=256)
    with LocalModelServer(config) as server:
        yield server


@pytest.fixture(scope="session")
def smollm2_checkpoint() -> Path:
    """The embedded SmolLM2 converted to a transformers checkpoint (once, in the user cache)."""
    from llmp_opencompass.servers.checkpoint import convert_gguf, smollm2_hf_dir
    from llmp_opencompass.settings.locations import cache_base

    return convert_gguf(None, smollm2_hf_dir(cache_base(os.environ)))
