"""Base URLs are checked when a config or an endpoint is built: a URL without a scheme used to be
retried as a connection error for about a minute (90 requests) without naming the scheme."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from llmp_opencompass.adapters.selfreport.builder import build
from llmp_opencompass.cli.main import main
from llmp_opencompass.errors import ConfigError
from llmp_opencompass.llm import Endpoint
from llmp_opencompass.llm.urls import base_url_problem
from llmp_opencompass.settings.experiments import ObserverSettings


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("127.0.0.1:8000/v1", "has no scheme: write http://127.0.0.1:8000/v1 (or https://...)"),
        ("localhost:8000/v1", "has no scheme: write http://localhost:8000/v1"),
        ("ftp://host/v1", "has the scheme 'ftp': use http:// or https://"),
        ("http:///v1", "has no host"),
        ("http://host:99999/v1", "has a port that is not a number"),
        ("", "is empty"),
    ],
)
def test_unusable_base_urls_say_what_to_write(url: str, problem: str) -> None:
    assert problem in (base_url_problem(url) or "")
    with pytest.raises(ConfigError, match="base URL"):
        Endpoint("m", url)


@pytest.mark.parametrize("url", ["http://127.0.0.1:8000/v1", "https://api.openai.com/v1", "HTTP://[::1]:80/v1"])
def test_usable_base_urls_pass(url: str) -> None:
    assert base_url_problem(url) is None and Endpoint("m", url).base_url == url


@pytest.mark.parametrize(
    "variable", ["OPENAI_BASE_URL", "LLMP_AGENT_BASE_URL", "LLMP_EMBEDDING_BASE_URL", "LLMP_DATA_BASE_URL"]
)
def test_the_config_build_names_the_variable_at_once(variable: str, shared_data_dir: Path) -> None:
    env = {"LLMP_MODEL": "m", "LLMP_DATA_DIR": str(shared_data_dir), variable: "127.0.0.1:8000/v1"}
    started = time.monotonic()
    with pytest.raises(ConfigError, match=f"{variable}='127.0.0.1:8000/v1' has no scheme: write http://127"):
        build("prompt", env)
    assert time.monotonic() - started < 5, "a bad URL must fail when the config is built, not after retries"


def test_the_judge_url_is_checked_too() -> None:
    env = {"LLMP_JUDGE_MODEL": "judge", "LLMP_JUDGE_BASE_URL": "judge.example:443/v1"}
    with pytest.raises(ConfigError, match=r"LLMP_JUDGE_BASE_URL='judge\.example:443/v1' has no scheme"):
        ObserverSettings.from_environment(env, ["prompt"])


def test_chat_prints_one_line_for_a_url_without_scheme(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "127.0.0.1:8000/v1")
    monkeypatch.setenv("LLMP_MODEL", "m")
    assert main(["chat", "--character", "Mary Jones", "--method", "blank"]) == 2
    error = capsys.readouterr().err.strip()
    assert error.count("\n") == 0 and "OPENAI_BASE_URL='127.0.0.1:8000/v1' has no scheme" in error
