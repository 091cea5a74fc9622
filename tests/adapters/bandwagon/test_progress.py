"""The turn-by-turn progress file of bandwagon sessions (what ``-r`` replays)."""

from __future__ import annotations

from pathlib import Path

from llmp_opencompass.adapters.bandwagon.progress import SavedTurn, SessionProgress, fingerprint


def test_saved_turns_survive_a_new_process_and_a_half_written_line(tmp_path: Path) -> None:
    path = tmp_path / ".llmp-bandwagon-mary_jones-group.turns.jsonl"
    session, other = fingerprint({"model": "m"}, [{"role": "user"}], 7), fingerprint({"model": "m"}, [], 8)
    progress = SessionProgress(path)
    progress.add(session, 0, SavedTurn("Line 1.", {"calls": 1}))
    progress.add(session, 1, SavedTurn("Line 3.", None))
    progress.add(other, 0, SavedTurn("Line 2.", None))
    with path.open("a") as out:
        out.write('{"session": "' + session + '", "turn": 2, "rep')  # killed while writing
    again = SessionProgress(path)
    assert again.saved(session) == {0: SavedTurn("Line 1.", {"calls": 1}), 1: SavedTurn("Line 3.", None)}
    assert again.saved(other) == {0: SavedTurn("Line 2.", None)}
    assert again.saved(fingerprint({"model": "n"}, [{"role": "user"}], 7)) == {}, "another model replays nothing"
    again.remove()
    assert not path.exists() and SessionProgress(path).saved(session) == {}
