"""Human Simulacra self-report, all four methods side by side (one summary column each):
`opencompass configs/llmp_all.py`.

blank, prompt, rag and macm over the same endpoint and datasets; the summary also shows
the mean LLM calls, tokens and rounds per question of each method. Environment: as in
configs/llmp_rag.py and configs/llmp_macm.py; see README.md. This file imports nothing
on purpose: mmengine would otherwise parse it lazily and the builder could not be called.
"""

_builder = __import__('llmp_opencompass.adapters.selfreport.builder', fromlist=['build'])
_built = _builder.build(('blank', 'prompt', 'rag', 'macm'))
datasets = _built['datasets']
models = _built['models']
model_dataset_combinations = _built['model_dataset_combinations']
summarizer = _built['summarizer']
infer = _built['infer']
eval = _built['eval']
del _built, _builder
