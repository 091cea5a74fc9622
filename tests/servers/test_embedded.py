"""The embedded server's command line and the variables ``serve`` hands to the command (no server)."""

from __future__ import annotations

from llmp_opencompass.cli.serve import server_environment
from llmp_opencompass.servers.embedded import SERVER_SLOTS, LocalModelServer, LocalServerConfig, decoding_threads


def test_command_line_without_and_with_the_prompt_cache() -> None:
    plain = LocalModelServer(LocalServerConfig(port=18080)).command()
    assert plain[1:3] == ["-m", "llama_cpp.server"] and "--cache" not in plain
    assert plain[plain.index("--port") + 1] == "18080" and plain[plain.index("--model_alias") + 1] == "smollm2"
    assert plain[plain.index("--logits_all") + 1] == "false"  # nothing asks for log-probabilities
    cached = LocalModelServer(LocalServerConfig(port=18080, prompt_cache_mb=512)).command()
    assert cached[cached.index("--cache") + 1] == "true" and cached[cached.index("--cache_size") + 1] == str(512 << 20)


def test_serve_points_the_command_at_the_server_and_its_one_slot() -> None:
    server = LocalModelServer(LocalServerConfig(port=18081))
    assert SERVER_SLOTS == 1 and server.slots == 1
    assert server_environment(server) == {
        "OPENAI_BASE_URL": "http://127.0.0.1:18081/v1", "LLMP_MODEL": "smollm2", "LLMP_ENDPOINT_SLOTS": "1",
    }  # fmt: skip


def test_decoding_threads_drop_to_one_on_a_busy_machine() -> None:
    assert decoding_threads(cores=2, load=0.2) == 2
    assert decoding_threads(cores=2, load=7.0) == 1
    assert decoding_threads(cores=1, load=0.0) == 1
    assert decoding_threads(cores=8, load=5.0) == 2
    fixed = LocalModelServer(LocalServerConfig(port=18082, n_threads=3))
    assert fixed.threads == 3 and fixed.command()[fixed.command().index("--n_threads") + 1] == "3"
