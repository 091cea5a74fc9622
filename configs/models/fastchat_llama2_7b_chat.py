"""Llama-2-7B-chat served by a local FastChat stack, as an endpoint preset for any llmp config.

Start it (GPU machine; the weights in a local directory named Llama-2-7b-chat-hf)::

    llmp-opencompass fastchat up --model-path /models/Llama-2-7b-chat-hf --device cuda --num-gpus 1

FastChat serves the model under its directory name. See configs/llmp_fastchat_example.py
for how a config uses this preset (`read_base()`). Weights: meta-llama/Llama-2-7b-chat-hf on the Hugging Face hub.
"""

llmp_endpoint = dict(base_url='http://127.0.0.1:8000/v1', model='Llama-2-7b-chat-hf')
