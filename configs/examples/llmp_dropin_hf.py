"""Example: the drop-in Human Simulacra datasets with OpenCompass's own HF model class.

    opencompass configs/examples/llmp_dropin_hf.py

runs `HuggingFacewithChatTemplate` (what `opencompass --hf-type chat --hf-path DIR` builds)
on the blank and prompt self-report datasets of the 11 characters. `path` is a hub id or
a local transformers checkpoint; offline, `llmp-opencompass convert-smollm2` prints the
directory of the embedded SmolLM2 converted for transformers. On a GPU machine set
`num_gpus=1` (0 runs on the CPU: SmolLM2-135M takes minutes per character there).

Any model config you already have works the same way, e.g. OpenCompass's own
`from opencompass.configs.models.hf_llama.hf_llama2_7b_chat import models` inside
`read_base()`. The `meta_template` below is optional: with its SYSTEM role the persona
reaches the model's chat template as a system message; without it (OpenCompass's model
configs) the persona is put in the user turn.
"""
from mmengine.config import read_base
from opencompass.models import HuggingFacewithChatTemplate

with read_base():
    from llmp_opencompass.configs.datasets.llmp.llmp_selfreport_gen import llmp_datasets
    from llmp_opencompass.configs.summarizers.llmp_selfreport import summarizer  # noqa: F401

datasets = [*llmp_datasets]

system_meta_template = dict(
    round=[dict(role='HUMAN', api_role='HUMAN'), dict(role='BOT', api_role='BOT', generate=True)],
    reserved_roles=[dict(role='SYSTEM', api_role='SYSTEM')],
)
models = [
    dict(type=HuggingFacewithChatTemplate, abbr='smollm2-135m-instruct-hf', path='HuggingFaceTB/SmolLM2-135M-Instruct',
         meta_template=system_meta_template, max_out_len=512, batch_size=8, run_cfg=dict(num_gpus=0)),
]
