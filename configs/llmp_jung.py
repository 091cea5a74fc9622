"""Human Simulacra observer-report proxy, the **Jung cognitive-function test**:
`opencompass configs/llmp_jung.py`.

Each character is asked whether statements from the 640 personality statements are true
of it; its functions are scored and ranked, and the ranking is compared with the
character's true order (Kendall tau, Spearman, top-1 match). Environment: as for
configs/llmp_prompt.py, plus LLMP_METHODS (default: all four methods) and
LLMP_JUNG_RATIO (default 1.0 = 640 statements; 0.1 = 64); see README.md. This file
imports nothing on purpose: mmengine would otherwise parse it lazily and the builder
could not be called.
"""

_built = __import__('llmp_opencompass.adapters.jung.builder', fromlist=['build']).build()
datasets = _built['datasets']
models = _built['models']
model_dataset_combinations = _built['model_dataset_combinations']
summarizer = _built['summarizer']
infer = _built['infer']
eval = _built['eval']
del _built
