"""``report`` on a hand-made work directory: tables, sections present only with their
results, plots, the latest run, and a clear error when there is nothing to report."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from llmp_opencompass.cli.main import main
from llmp_opencompass.report import ReportError, find_run_dir, read_results, write_report
from llmp_opencompass.report.results import expected_pairs
from llmp_opencompass.report.tables import selfreport_tables

POINTS = {"cloze": 6, "single_choice": 4, "multiple_choices": 20}
PROFILE = {
    "function_scores": {"Ne": 3, "Ni": 1, "Se": 0, "Si": -2, "Te": 5, "Ti": 0, "Fe": -1, "Fi": 2},
    "predicted_order": ["Te", "Ne", "Fi", "Ni", "Se", "Ti", "Fe", "Si"],
    "true_order": ["Te", "Ni", "Se", "Fi", "Ti", "Ne", "Fe", "Si"],
}


def _write(run: Path, model: str, dataset: str, result: dict) -> None:
    path = run / "results" / model / f"{dataset}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({**result, "details": [{"pred": "x"}]}))


def _selfreport(run: Path, model: str, slug: str, bonus: int = 0, usage: bool = True) -> None:
    for qtype, points in POINTS.items():
        metrics = {"points": points + bonus, "accuracy": 40.0 + bonus, "score": 0.0}
        if usage:
            metrics |= {"calls_per_question": 5.0, "tokens_per_question": 1200.0, "rounds_per_question": 2.0}
        _write(run, model, f"llmp-{slug}-{qtype}", metrics)


@pytest.fixture()
def workdir(tmp_path: Path) -> Path:
    (tmp_path / "20240101_000000" / "results").mkdir(parents=True)  # an older run
    run = tmp_path / "20250102_030405"
    _selfreport(run, "prompt-m", "mary_jones")
    _selfreport(run, "prompt-m", "robert_scott", bonus=2)
    _selfreport(run, "macm-m", "mary_jones", bonus=4)
    _write(run, "prompt-m", "llmp-robert_scott-cloze", {"error": "evaluator failed: boom"})
    rates = {"critical_wrong_rate": 50.0, "neutral_correct_rate": 90.0, "conformed_at_least_once": 100.0}
    _write(run, "prompt-m", "llmp-bandwagon-mary_jones-group", {"critical_group_rate": 41.7, "unparsed": 1, **rates})
    _write(run, "prompt-m", "llmp-bandwagon-mary_jones-control", {"critical_group_rate": 8.3, "unparsed": 0, **rates})
    jung = {"kendall_tau": 0.5, "spearman": math.nan, "top1_match": 1, "unparsed": 3, "profile": PROFILE}
    _write(run, "prompt-m", "llmp-jung-mary_jones", jung)
    _write(run, "prompt-m", "llmp-observer-mary_jones", {"n_answers": 4, "n_empty": 1, "csv_path": "x.csv"})
    return tmp_path


def test_report_has_every_section_with_values_from_the_results(workdir: Path, tmp_path: Path) -> None:
    files = write_report(workdir, tmp_path / "out")
    assert files.run_dir.name == "20250102_030405"
    markdown = files.markdown.read_text()
    assert "| character | macm-m | prompt-m |" in markdown and "| Mary Jones | 42.0 | 30.0 |" in markdown
    assert "| Robert Scott | n/a | - |" not in markdown and "| Robert Scott |" in markdown
    for title in ("Calls and tokens", "Bandwagon", "Jung", "Observer", "Failed evaluations"):
        assert f"## {title}" in markdown
    assert "| prompt | Mary Jones | 41.7 | 8.3 |" in markdown
    assert "| human (Asch) | - | 32 | <1 |" in markdown
    assert "| prompt | Mary Jones | 0.50 | n/a | 1 | 3 | Te, Ne, Fi | Te, Ni, Se |" in markdown
    assert "<h2>Bandwagon (Asch conformity)</h2>" in files.html.read_text()
    assert {p.name for p in files.plots} == {"selfreport.png", "bandwagon.png", "jung.png"}
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and p.stat().st_size > 5000 for p in files.plots)


def test_incomplete_character_total_is_not_a_number(workdir: Path) -> None:
    results = read_results(find_run_dir(workdir))
    points, accuracy = selfreport_tables(results)  # type: ignore[misc]
    rows = {row[0]: row[1:] for row in points.rows}
    assert rows["Robert Scott"] == ("n/a", "n/a")  # its Cloze result failed; macm-m never ran it
    # a failed result is never averaged as 0, and macm-m's mean must not cover Mary Jones alone
    assert rows["mean (out of 50)"] == ("n/a (1 of 2)", "n/a (1 of 2)")
    assert accuracy.rows[1] == ("single_choice", "n/a (1 of 2)", "41.0")


def test_sections_without_results_are_left_out(tmp_path: Path) -> None:
    _selfreport(tmp_path, "blank-m", "mary_jones", usage=False)
    files = write_report(tmp_path)
    markdown = files.markdown.read_text()
    assert files.markdown.parent == tmp_path / "report"
    assert "Self-report" in markdown and "Bandwagon" not in markdown and "Calls and tokens" not in markdown
    assert [p.name for p in files.plots] == ["selfreport.png"]


def test_nothing_to_report_says_so(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    (tmp_path / "20250101_000000" / "results").mkdir(parents=True)
    with pytest.raises(ReportError, match=r"no results/<model>/<dataset>\.json"):
        write_report(tmp_path)
    assert main(["report", str(tmp_path / "missing")]) == 2
    assert "is not a directory" in capsys.readouterr().err
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["report", str(empty)]) == 2
    assert "no OpenCompass run with results" in capsys.readouterr().err


def test_pairs_of_the_config_without_a_result_are_listed_as_missing(workdir: Path) -> None:
    run = workdir / "20250102_030405"
    (run / "configs").mkdir()
    combos = [
        {"models": [{"abbr": "prompt-m"}, {"abbr": "macm-m"}],
         "datasets": [{"abbr": f"llmp-mary_jones-{t}"} for t in POINTS]},
        {"models": [{"abbr": "prompt-m"}], "datasets": [{"abbr": "llmp-kevin_kelly-cloze"}]},
    ]  # fmt: skip
    (run / "configs" / "20250102_030405_1.py").write_text(f"model_dataset_combinations = {combos!r}\n")
    markdown = write_report(workdir).markdown.read_text()
    missing = markdown.split("## Missing results", 1)[1]
    assert "| prompt-m | llmp-kevin_kelly-cloze |" in missing
    assert "mary_jones" not in missing  # every Mary Jones pair has its result
    assert "opencompass CONFIG -r" in missing


def test_no_config_means_no_missing_section(workdir: Path) -> None:
    assert "Missing results" not in write_report(workdir).markdown.read_text()


def _config(run: Path, combinations: list[dict]) -> None:
    (run / "configs").mkdir(exist_ok=True)
    (run / "configs" / f"{run.name}_1.py").write_text(f"model_dataset_combinations = {combinations!r}\n")


def _pairs(models: list[str], slugs: list[str]) -> list[dict]:
    return [{"models": [{"abbr": m} for m in models],
             "datasets": [{"abbr": f"llmp-{s}-{t}"} for t in POINTS]} for s in slugs]  # fmt: skip


def test_a_character_whose_task_failed_makes_every_mean_n_a(tmp_path: Path) -> None:
    """The issue's run: Robert Scott's task failed, so only Mary Jones has results; the report used
    to print "mean (out of 50) 30.0" and "score 60.0" as if that were the method's mean."""
    run = tmp_path / "20250102_030405"
    _selfreport(run, "prompt-m", "mary_jones")
    _config(run, _pairs(["prompt-m"], ["mary_jones", "robert_scott"]))
    markdown = write_report(tmp_path).markdown.read_text()
    assert "| Robert Scott | n/a |" in markdown
    assert "| mean (out of 50) | n/a (1 of 2) |" in markdown and "| score (0-100) | n/a (1 of 2) |" in markdown
    assert "| cloze | n/a (1 of 2) |" in markdown
    assert "| prompt-m | n/a (3 of 6) | n/a (3 of 6) | n/a (3 of 6) |" in markdown  # calls, tokens, rounds
    assert "30.0 |" not in markdown.split("## Self-report: accuracy")[0].split("| Mary Jones |")[1].split("\n", 1)[1]


def test_columns_covering_different_characters_have_no_mean_without_a_config(tmp_path: Path) -> None:
    run = tmp_path / "20250102_030405"
    _selfreport(run, "prompt-m", "mary_jones")
    _selfreport(run, "prompt-m", "robert_scott", bonus=2)
    _selfreport(run, "macm-m", "mary_jones", bonus=4)
    points, _ = selfreport_tables(read_results(run))  # type: ignore[misc]
    rows = {row[0]: row[1:] for row in points.rows}  # columns: macm-m (Mary Jones only), prompt-m
    assert rows["mean (out of 50)"] == ("n/a (1 of 2)", "33.0") and rows["score (0-100)"] == ("n/a (1 of 2)", "66.0")


def test_complete_means_are_unchanged(tmp_path: Path) -> None:
    run = tmp_path / "20250102_030405"
    for model, bonus in (("prompt-m", 0), ("macm-m", 4)):
        _selfreport(run, model, "mary_jones", bonus)
        _selfreport(run, model, "robert_scott", bonus + 2)
    _config(run, _pairs(["prompt-m", "macm-m"], ["mary_jones", "robert_scott"]))
    points, _ = selfreport_tables(read_results(run), expected_pairs(run))  # type: ignore[misc]
    rows = {row[0]: row[1:] for row in points.rows}  # columns: macm-m, prompt-m
    assert rows["mean (out of 50)"] == ("45.0", "33.0") and rows["score (0-100)"] == ("90.0", "66.0")


def test_a_bandwagon_mean_over_some_characters_draws_no_bar(tmp_path: Path) -> None:
    import matplotlib.pyplot as plt

    from llmp_opencompass.report import plots

    run = tmp_path / "20250102_030405"
    rates = {"critical_wrong_rate": 50.0, "neutral_correct_rate": 90.0, "conformed_at_least_once": 100.0}
    for condition, rate in (("group", 41.7), ("control", 8.3)):
        _write(run, "prompt-m", f"llmp-bandwagon-mary_jones-{condition}", {"critical_group_rate": rate, **rates})
    slugs, conditions = ("mary_jones", "robert_scott"), ("group", "control")
    pairs = {("prompt-m", f"llmp-bandwagon-{s}-{c}") for s in slugs for c in conditions}
    drawn: list[list[float]] = []
    real_bar = plt.Axes.bar

    def spy(self: plt.Axes, x: list, height: list, *args: object, **kwargs: object) -> object:
        drawn.append(list(height))
        return real_bar(self, x, height, *args, **kwargs)

    plt.Axes.bar = spy  # type: ignore[method-assign]
    try:
        assert plots.bandwagon_plot(read_results(run), tmp_path / "b.png", pairs) is not None
        assert drawn == [[], []], "a mean over 1 of 2 characters must not be drawn (nor drawn as 0)"
        drawn.clear()
        assert plots.bandwagon_plot(read_results(run), tmp_path / "c.png", None) is not None
        assert drawn == [[41.7], [8.3]]
    finally:
        plt.Axes.bar = real_bar  # type: ignore[method-assign]
