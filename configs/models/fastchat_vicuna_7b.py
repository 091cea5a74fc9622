"""Vicuna-7B v1.5 served by a local FastChat stack, as an endpoint preset for any llmp config.

Start it (GPU machine; the weights in a local directory named vicuna-7b-v1.5)::

    llmp-opencompass fastchat up --model-path /models/vicuna-7b-v1.5 --device cuda --num-gpus 1

FastChat serves the model under its directory name. See configs/llmp_fastchat_example.py
for how a config uses this preset (`read_base()`). Weights: lmsys/vicuna-7b-v1.5 on the Hugging Face hub.
"""

llmp_endpoint = dict(base_url='http://127.0.0.1:8000/v1', model='vicuna-7b-v1.5')
