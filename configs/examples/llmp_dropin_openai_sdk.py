"""Example: the drop-in Human Simulacra datasets in an ordinary OpenCompass config.

`opencompass configs/examples/llmp_dropin_openai_sdk.py` evaluates an OpenAI model (key in
OPENAI_API_KEY) with OpenCompass's own `OpenAISDK`; swap `models` for any HF, vLLM,
LMDeploy or API model config you already have. The Human Simulacra data is found (or
downloaded, pinned and verified) when the datasets load; LLMP_DATA_DIR points at a copy.
"""
from mmengine.config import read_base
from opencompass.models import OpenAISDK

with read_base():
    from llmp_opencompass.configs.datasets.llmp.llmp_selfreport_gen import llmp_datasets
    from llmp_opencompass.configs.summarizers.llmp_selfreport import summarizer  # noqa: F401

datasets = [*llmp_datasets]

api_meta_template = dict(
    round=[dict(role='HUMAN', api_role='HUMAN'), dict(role='BOT', api_role='BOT', generate=True)],
    reserved_roles=[dict(role='SYSTEM', api_role='SYSTEM')],
)
models = [
    dict(abbr='gpt-4o-mini', type=OpenAISDK, path='gpt-4o-mini', key='ENV', meta_template=api_meta_template,
         temperature=0.0, max_seq_len=16384, max_out_len=512, batch_size=8, query_per_second=2, retry=2),
]
