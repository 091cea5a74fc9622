"""Bandwagon (Asch line-judgement conformity) replication: `opencompass configs/llmp_bandwagon.py`.

Every character, every method (LLMP_METHODS, default blank,prompt,rag,macm), two conditions
(group pressure and control), 18 trials per session in one multi-turn conversation.
Environment: OPENAI_BASE_URL, LLMP_MODEL (required), OPENAI_API_KEY (read per request),
LLMP_CHARACTERS, LLMP_DATA_DIR, LLMP_TEMPERATURE, LLMP_BANDWAGON_SESSIONS; see README.md.
This file imports nothing on purpose: mmengine would otherwise parse it lazily and the
builder could not be called.
"""

_built = __import__('llmp_opencompass.adapters.bandwagon.builder', fromlist=['build']).build()
datasets = _built['datasets']
models = _built['models']
model_dataset_combinations = _built['model_dataset_combinations']
summarizer = _built['summarizer']
infer = _built['infer']
eval = _built['eval']
del _built
