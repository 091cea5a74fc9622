"""Example: the four simulacrum methods against a model served by vLLM's OpenAI-compatible server.

    vllm serve meta-llama/Llama-2-7b-chat-hf --port 8000 --max-model-len 4096   # a GPU machine
    opencompass configs/llmp_vllm_example.py

The preset (any file in configs/models/: vllm_*, fastchat_*) gives the base URL and the
served model's name. vLLM batches the requests of all OpenCompass tasks together, so the
package's default load (LLMP_CONCURRENCY x LLMP_TASK_WORKERS = 8 calls in flight) is far
below what it serves at once (--max-num-seqs, 256 by default); raise LLMP_CONCURRENCY to
keep a large GPU busy. MACM's agents can run on another endpoint (LLMP_AGENT_BASE_URL).
vLLM cannot run on a CPU-only machine; the tests run this config against a scripted server.

The builder is reached through __import__ because mmengine parses configs with imports lazily.
"""

from mmengine.config import read_base

with read_base():
    from .models.vllm_llama2_7b_chat import llmp_endpoint

_builder = __import__('llmp_opencompass.adapters.selfreport.builder', fromlist=['build'])
_built = _builder.build(('blank', 'prompt', 'rag', 'macm'), endpoint=llmp_endpoint)
datasets = _built['datasets']
models = _built['models']
model_dataset_combinations = _built['model_dataset_combinations']
summarizer = _built['summarizer']
infer = _built['infer']
eval = _built['eval']
del _built, _builder
