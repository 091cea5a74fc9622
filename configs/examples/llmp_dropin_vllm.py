"""Example: the drop-in Human Simulacra datasets with OpenCompass's own vLLM model class.

    pip install vllm          # a CUDA machine; vLLM brings its own torch build
    opencompass configs/examples/llmp_dropin_vllm.py

runs `VLLMwithChatTemplate` (in-process vLLM, one GPU) on the blank and prompt self-report
datasets of the 11 characters. Llama-2-7b-chat is one of the paper's models; `path` takes
any hub id or local checkpoint with a chat template. `opencompass ... --accelerator vllm`
turns a config of HF models into this class as well.

vLLM needs a GPU: its PyPI wheels are CUDA builds, so this config cannot run on a CPU-only
machine (the tests only load it and check that OpenCompass plans its tasks). To evaluate the
*simulacra* (prompt, RAG, MACM) on a vLLM server instead, see configs/llmp_vllm_example.py.
"""
from mmengine.config import read_base
from opencompass.models import VLLMwithChatTemplate

with read_base():
    from llmp_opencompass.configs.datasets.llmp.llmp_selfreport_gen import llmp_datasets
    from llmp_opencompass.configs.summarizers.llmp_selfreport import summarizer  # noqa: F401

datasets = [*llmp_datasets]

system_meta_template = dict(
    round=[dict(role='HUMAN', api_role='HUMAN'), dict(role='BOT', api_role='BOT', generate=True)],
    reserved_roles=[dict(role='SYSTEM', api_role='SYSTEM')],
)
models = [
    dict(type=VLLMwithChatTemplate, abbr='llama-2-7b-chat-vllm', path='meta-llama/Llama-2-7b-chat-hf',
         model_kwargs=dict(tensor_parallel_size=1, gpu_memory_utilization=0.85), meta_template=system_meta_template,
         generation_kwargs=dict(temperature=0), max_seq_len=4096, max_out_len=512, batch_size=32,
         run_cfg=dict(num_gpus=1)),
]
