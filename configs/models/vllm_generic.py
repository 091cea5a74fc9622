"""Any model served by vLLM's OpenAI-compatible server on port 8000, as an endpoint preset.

    vllm serve /models/my-model --port 8000        # serves it under the name /models/my-model
    LLMP_MODEL=/models/my-model opencompass configs/llmp_vllm_example.py   # with this preset imported

The served model's name comes from ``LLMP_MODEL``: what ``vllm serve`` was given, or its
``--served-model-name``. See configs/llmp_vllm_example.py for how a config uses a preset.
"""

llmp_endpoint = dict(base_url='http://127.0.0.1:8000/v1')
