"""Human Simulacra self-report, **rag** method: `opencompass configs/llmp_rag.py`.

The persona plus the 3 passages of the character's life story closest to each question
(all-MiniLM-L6-v2 embeddings, computed once and cached). Environment: OPENAI_BASE_URL,
LLMP_MODEL (required), OPENAI_API_KEY (read per request), LLMP_CHARACTERS, LLMP_DATA_DIR,
and LLMP_RAG_K, LLMP_CHUNK_SIZE, LLMP_CHUNK_OVERLAP, LLMP_EMBEDDER; see README.md. This file
imports nothing on purpose: mmengine would otherwise parse it lazily and the builder
could not be called.
"""

_built = __import__('llmp_opencompass.adapters.selfreport.builder', fromlist=['build']).build('rag')
datasets = _built['datasets']
models = _built['models']
model_dataset_combinations = _built['model_dataset_combinations']
summarizer = _built['summarizer']
infer = _built['infer']
eval = _built['eval']
del _built
