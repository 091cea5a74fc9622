"""Human Simulacra self-report, **macm** method (the paper's Multi-Agent Cognitive Mechanism):
`opencompass configs/llmp_macm.py`.

Per question: memory retrieval, thinking and emotion agents concurrently, then the answer
(at most 5 calls in 2 rounds). Environment: OPENAI_BASE_URL, LLMP_MODEL (required),
OPENAI_API_KEY (read per request), LLMP_CHARACTERS, LLMP_DATA_DIR; the agents use
LLMP_AGENT_MODEL / LLMP_AGENT_BASE_URL when set (else the answering model), and
LLMP_RETRIEVAL (llm or embedding), LLMP_MEMORY_K; see README.md. This file imports
nothing on purpose: mmengine would otherwise parse it lazily and the builder could not
be called.
"""

_built = __import__('llmp_opencompass.adapters.selfreport.builder', fromlist=['build']).build('macm')
datasets = _built['datasets']
models = _built['models']
model_dataset_combinations = _built['model_dataset_combinations']
summarizer = _built['summarizer']
infer = _built['infer']
eval = _built['eval']
del _built
