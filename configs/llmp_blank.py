"""Human Simulacra self-report, **blank** method: `opencompass configs/llmp_blank.py`.

Environment: OPENAI_BASE_URL, LLMP_MODEL (required), OPENAI_API_KEY (read per request),
LLMP_CHARACTERS, LLMP_DATA_DIR; see README.md. This file imports nothing on purpose:
mmengine would otherwise parse it lazily and the builder could not be called.
"""

_built = __import__('llmp_opencompass.adapters.selfreport.builder', fromlist=['build']).build('blank')
datasets = _built['datasets']
models = _built['models']
model_dataset_combinations = _built['model_dataset_combinations']
summarizer = _built['summarizer']
infer = _built['infer']
eval = _built['eval']
del _built
