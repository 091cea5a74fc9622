"""Human Simulacra observer report, **Open-Ended situational-judgement answers**:
`opencompass configs/llmp_observer.py`.

Collects each simulacrum's answers (motive, emotion, approach, behaviour) for the
characters that have Open-Ended items (upstream: Mary Jones and Haley Collins; the rest
are reported as unavailable) and writes them as CSV for human raters
(`llmp-opencompass observer export WORKDIR --out answers.csv` gathers them). With
LLMP_JUDGE_MODEL set, an LLM judge also rates each answer 1-5 on the published rubric.
Environment: as for configs/llmp_prompt.py, plus LLMP_METHODS, LLMP_OPEN_ENDED_DIR,
LLMP_JUDGE_MODEL, LLMP_JUDGE_BASE_URL, LLMP_JUDGE_API_KEY; see README.md. This file
imports nothing on purpose: mmengine would otherwise parse it lazily and the builder
could not be called.
"""

_built = __import__('llmp_opencompass.adapters.observer.builder', fromlist=['build']).build()
datasets = _built['datasets']
models = _built['models']
model_dataset_combinations = _built['model_dataset_combinations']
summarizer = _built['summarizer']
infer = _built['infer']
eval = _built['eval']
del _built
