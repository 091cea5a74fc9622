"""Example: a Human Simulacra config combined with an endpoint preset from configs/models/.

    llmp-opencompass fastchat up --model-path /models/Llama-2-7b-chat-hf --device cuda
    opencompass configs/llmp_fastchat_example.py

Copy this file next to the llmp configs and change the preset import (any file in
configs/models/) or the methods passed to build(): 'blank', 'prompt', ... The builder is
reached through __import__ because mmengine parses configs with imports lazily.
"""

from mmengine.config import read_base

with read_base():
    from .models.fastchat_llama2_7b_chat import llmp_endpoint

_builder = __import__('llmp_opencompass.adapters.selfreport.builder', fromlist=['build'])
_built = _builder.build('prompt', endpoint=llmp_endpoint)
datasets = _built['datasets']
models = _built['models']
model_dataset_combinations = _built['model_dataset_combinations']
summarizer = _built['summarizer']
infer = _built['infer']
eval = _built['eval']
del _built, _builder
