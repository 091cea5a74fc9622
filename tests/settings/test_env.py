"""The one parser of environment variables: defaults, bounds, and errors naming the variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from llmp_opencompass.errors import ConfigError
from llmp_opencompass.settings import env as read
from llmp_opencompass.settings.connection import connect_options
from llmp_opencompass.settings.locations import cache_base, call_cache_file, index_cache_dir, slot_dir


def test_blank_means_default_and_values_are_parsed() -> None:
    env = {"A": " 3 ", "B": "  ", "C": "0.25", "D": "Off", "E": "x, ,y", "F": "~/z"}
    assert read.integer(env, "A", 1, minimum=1) == 3 and read.integer(env, "B", 7, minimum=1) == 7
    assert read.number(env, "C", 1.0, minimum=0.0, maximum=1.0) == 0.25
    assert read.switch(env, "D", True) is False and read.switch(env, "missing", True) is True
    assert read.names(env, "E") == ("x", "y") and read.names(env, "missing") is None
    assert read.path(env, "F") == Path("~/z").expanduser() and read.path(env, "B") is None


@pytest.mark.parametrize(
    ("value", "message"),
    [("nan", "must be a finite number"), ("inf", "must be a finite number"), ("-1", "must be between 0.0 and 2.0"),
     ("warm", "is not a number")],
)  # fmt: skip
def test_numbers_must_be_finite_and_in_range(value: str, message: str) -> None:
    with pytest.raises(ConfigError, match=f"T={value!r} {message}"):
        read.number({"T": value}, "T", 0.0, minimum=0.0, maximum=2.0)


def test_whole_numbers_and_switches_name_the_variable() -> None:
    with pytest.raises(ConfigError, match=r"N='2\.5' is not a whole number"):
        read.integer({"N": "2.5"}, "N", 1, minimum=1)
    with pytest.raises(ConfigError, match="N='0' must be at least 1"):
        read.integer({"N": "0"}, "N", 1, minimum=1)
    with pytest.raises(ConfigError, match="S='maybe': use on or off"):
        read.switch({"S": "maybe"}, "S", True)


def test_locations_have_one_resolution(tmp_path: Path) -> None:
    home = {"HOME": str(tmp_path)}
    assert cache_base(home) == tmp_path / ".cache" / "llmp_opencompass"
    assert cache_base({**home, "XDG_CACHE_HOME": str(tmp_path / "x")}) == tmp_path / "x" / "llmp_opencompass"
    own = {**home, "LLMP_CACHE_DIR": str(tmp_path / "own")}
    assert call_cache_file(own) == tmp_path / "own" / "llm_calls.sqlite"
    assert call_cache_file({**own, "LLMP_CACHE": "off"}) is None
    assert index_cache_dir(own) == tmp_path / "own" / "indexes"
    assert index_cache_dir({**own, "LLMP_INDEX_CACHE_DIR": str(tmp_path / "i")}) == tmp_path / "i"
    runtime = slot_dir({"XDG_RUNTIME_DIR": str(tmp_path / "r"), "TMPDIR": str(tmp_path / "t")})
    assert runtime.parent.parent == tmp_path / "r" and runtime.name == "slots"  # machine state, not the cache
    assert slot_dir({"TMPDIR": str(tmp_path / "t")}).parent.parent == tmp_path / "t"


def test_connect_options_honour_every_variable(tmp_path: Path) -> None:
    env = {"LLMP_CACHE_DIR": str(tmp_path), "LLMP_RETRIES": "2", "LLMP_RETRY_MAX_WAIT": "5", "LLMP_CONCURRENCY": "3"}
    options = connect_options(env)
    assert (options.retry.max_attempts, options.retry.max_wait, options.concurrency) == (2, 5.0, 3)
    assert options.cache_file == tmp_path / "llm_calls.sqlite"
    assert connect_options(env, cache=False).cache_file is None
    assert options.endpoint_slots is None  # unless set (`serve` sets it), only a server's own declaration counts
    assert options.slot_dir == slot_dir(env)
    limited = connect_options({**env, "LLMP_ENDPOINT_SLOTS": "1", "XDG_RUNTIME_DIR": str(tmp_path / "run")})
    assert (limited.endpoint_slots, limited.slot_dir) == (1, slot_dir({"XDG_RUNTIME_DIR": str(tmp_path / "run")}))
    with pytest.raises(ConfigError, match="LLMP_RETRY_MAX_WAIT='nan' must be a finite number"):
        connect_options({**env, "LLMP_RETRY_MAX_WAIT": "nan"})
