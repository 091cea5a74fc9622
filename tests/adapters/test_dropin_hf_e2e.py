"""OpenCompass's own ``HuggingFacewithChatTemplate`` on the embedded SmolLM2 (converted to a
transformers checkpoint, on the CPU) over the drop-in self-report datasets of one character,
through the real ``opencompass`` command: the shipped example config, and the command-line
form ``opencompass --datasets llmp_selfreport_gen/... --hf-type chat --hf-path DIR`` run from
the repository root. A 1,200-token persona prompt takes seconds to minutes on a loaded
2-core CPU, so the runs keep to a few items and short answers."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT
from tests.support.opencompass_run import read_json, run_opencompass, summary_csv

pytestmark = pytest.mark.e2e
TYPES = ("cloze", "single_choice", "multiple_choices")
EXAMPLE = PROJECT_ROOT / "configs" / "examples" / "llmp_dropin_hf.py"
HUB_PATH = "path='HuggingFaceTB/SmolLM2-135M-Instruct'"
ALL_DATASETS = "datasets = [*llmp_datasets]"
MARY_JONES_FIRST_ITEM = (
    "datasets = [dict(d, reader_cfg=dict(d['reader_cfg'], test_range='[:1]'))\n"
    "            for d in llmp_datasets if d['character'] == 'Mary Jones']"
)
# The summarizer's rows are over all 11 characters ("-" here); list the character's, as its docstring says.
CHARACTER_ROWS = (
    "\nsummarizer = dict(summarizer, dataset_abbrs=[('llmp-blank-mary_jones-total', 'sum'),\n"
    "                                             ('llmp-prompt-mary_jones-total', 'sum')])\n"
)


def _user_config(directory: Path, checkpoint: Path) -> Path:
    """The shipped example, pointed at the local checkpoint, on Mary Jones's first item of each type."""
    text = EXAMPLE.read_text()
    assert text.count(HUB_PATH) == 1 and text.count(ALL_DATASETS) == 1 and text.count("max_out_len=512") == 1
    text = text.replace(HUB_PATH, f"path={str(checkpoint)!r}").replace(ALL_DATASETS, MARY_JONES_FIRST_ITEM)
    path = directory / "user_hf.py"
    path.write_text(text.replace("max_out_len=512", "max_out_len=16") + CHARACTER_ROWS)
    return path


def _prompts(run: Path, model: str, dataset: str) -> list[list[dict]]:
    return [p["origin_prompt"] for p in read_json(run, "predictions", model, dataset).values()]


def test_example_config_with_hf_chat_template_class_scores_every_dataset(
    smollm2_checkpoint: Path, shared_data_dir: Path, tmp_path: Path
) -> None:
    model = "smollm2-135m-instruct-hf"
    run = run_opencompass(_user_config(tmp_path, smollm2_checkpoint), tmp_path, {"LLMP_DATA_DIR": str(shared_data_dir)})
    for variant in ("blank", "prompt"):
        total = 0.0
        for qtype in TYPES:
            result = read_json(run, "results", model, f"llmp-{variant}-mary_jones-{qtype}")
            assert len(result["details"]) == 1 and all(p.strip() for d in result["details"] for p in d["pred"])
            # The score is a percentage of the points the asked items can give (here one item's).
            asked_max = sum(m for d in result["details"] for m in d["max_points"])
            assert result["score"] == pytest.approx(100 * result["points"] / asked_max)
            total += result["points"]
        assert float(summary_csv(run)[f"llmp-{variant}-mary_jones-total"][model]) == pytest.approx(total)
    persona = _prompts(run, model, "llmp-prompt-mary_jones-cloze")
    assert all(p[0]["role"] == "SYSTEM" and "You are Mary Jones" in p[0]["prompt"] for p in persona)
    assert "Mary Jones" not in json.dumps(_prompts(run, model, "llmp-blank-mary_jones-cloze"))


def test_command_line_hf_form_from_the_repository_root(
    smollm2_checkpoint: Path, shared_data_dir: Path, tmp_path: Path
) -> None:
    """`--datasets llmp_selfreport_gen/mary_jones_blank` picks one character's blank variant
    (the persona variant's long prompts would take many minutes here)."""
    args = ["--datasets", "llmp_selfreport_gen/mary_jones_blank", "--hf-type", "chat", "--hf-path",
            str(smollm2_checkpoint), "--hf-num-gpus", "0", "--max-out-len", "16"]  # fmt: skip
    scratch = PROJECT_ROOT / "tmp"  # OpenCompass's task files, removed when the tasks end (gitignored)
    before = set(scratch.glob("*")) if scratch.is_dir() else None
    sizes = PROJECT_ROOT / ".cache"  # the partitioner's dataset_size.json (gitignored)
    sizes_existed = sizes.exists()
    try:
        run = run_opencompass(None, tmp_path, {"LLMP_DATA_DIR": str(shared_data_dir)}, *args, cwd=PROJECT_ROOT)
    finally:
        if not sizes_existed:
            shutil.rmtree(sizes, ignore_errors=True)
    model = f"{smollm2_checkpoint.name}_hf"
    for qtype in TYPES:
        result = read_json(run, "results", model, f"llmp-blank-mary_jones-{qtype}")
        assert len(result["details"]) == 5 and all(p.strip() for d in result["details"] for p in d["pred"])
    assert not (run / "results" / model / "llmp-prompt-mary_jones-cloze.json").exists()
    assert set(summary_csv(run)) >= {f"llmp-blank-mary_jones-{t}" for t in TYPES}
    assert set(scratch.glob("*")) == (before or set()), "opencompass left task files in the repository"
    if before is None:
        scratch.rmdir()
