"""Drop-in Human Simulacra self-report datasets, RAG variant (see the hashed file)."""
from mmengine.config import read_base

with read_base():
    from .llmp_selfreport_rag_gen_dd9b72 import llmp_rag_datasets  # noqa: F401
