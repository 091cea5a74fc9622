"""The report's intervals and paired comparisons, from hand-made bootstrap replicates."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from llmp_opencompass.report import read_results, write_report
from llmp_opencompass.report.uncertainty import OVERALL, comparison_tables, interval_table, total_intervals

TYPES = {"cloze": 6.0, "single_choice": 4.0, "multiple_choices": 20.0}


def _write(run: Path, model: str, slug: str, shift: float, noise: np.ndarray) -> None:
    for qtype, points in TYPES.items():
        path = run / "results" / model / f"llmp-{slug}-{qtype}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        replicates = list(points + shift + noise)
        path.write_text(json.dumps({"points": points + shift, "accuracy": 50.0, "points_bootstrap": replicates}))


def _run(tmp_path: Path) -> Path:
    run = tmp_path / "20250101_000000"
    rng = np.random.default_rng(0)
    for slug in ("mary_jones", "robert_scott"):
        shared = rng.normal(0, 1, 200)  # the same item resamples for both methods: paired
        _write(run, "macm-m", slug, 2.0, shared)
        _write(run, "prompt-m", slug, 0.0, shared + rng.normal(0, 0.1, 200))
    return run


def test_totals_sum_the_questionnaires_and_the_mean_covers_every_character(tmp_path: Path) -> None:
    spans = total_intervals(read_results(_run(tmp_path)))
    estimate, low, high = spans["mary_jones", "macm-m"]
    assert estimate == 36 and low < 36 < high and high - low > 6, "three questionnaires' noise summed"
    assert spans[OVERALL, "prompt-m"][0] == 30
    table = interval_table(read_results(_run(tmp_path)))
    assert table is not None and table.rows[-1][0] == OVERALL and "[" in table.rows[0][1]


def test_paired_difference_is_tight_when_the_noise_is_shared(tmp_path: Path) -> None:
    tables = comparison_tables(read_results(_run(tmp_path)))
    assert tables is not None
    overall, per_character = tables
    ((name, difference, span, p_value),) = overall.rows
    assert name == "macm-m - prompt-m" and difference == "+6.0" and float(p_value) < 0.01
    low, high = (float(v) for v in span.strip("[]").split(","))
    assert 5.0 < low < 6.0 < high < 7.0, "pairing cancels the shared item noise"
    assert per_character.rows[0][0] == "Mary Jones" and per_character.rows[0][1].startswith("+6.0 [")


def test_missing_replicates_give_n_a_never_a_number(tmp_path: Path) -> None:
    run = _run(tmp_path)
    path = run / "results" / "prompt-m" / "llmp-robert_scott-cloze.json"
    path.write_text(json.dumps({"points": 6.0, "accuracy": 50.0}))
    results = read_results(run)
    assert total_intervals(results)[OVERALL, "prompt-m"][1] != total_intervals(results)[OVERALL, "prompt-m"][1]
    overall, per_character = comparison_tables(results)  # type: ignore[misc]
    assert overall.rows[0][1:] == ("n/a", "n/a", "n/a") and per_character.rows[1][1] == "n/a"
    markdown = write_report(tmp_path, tmp_path / "out").markdown.read_text()
    assert "## Method comparison (paired), mean over characters" in markdown
    assert "## Self-report: points out of 50 with 95% intervals" in markdown
