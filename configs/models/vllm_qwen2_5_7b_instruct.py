"""Qwen2.5-7B-Instruct served by vLLM's OpenAI-compatible server, as an endpoint preset for any llmp config.

Start it (a GPU with about 15 GB free; the weights from the Hugging Face hub or a local copy)::

    vllm serve Qwen/Qwen2.5-7B-Instruct --port 8000 --max-model-len 4096

vLLM serves the model under the name it was given. See configs/llmp_vllm_example.py for
how a config uses this preset (`read_base()`). Weights: Qwen/Qwen2.5-7B-Instruct on the Hugging Face hub.
"""

llmp_endpoint = dict(base_url='http://127.0.0.1:8000/v1', model='Qwen/Qwen2.5-7B-Instruct')
