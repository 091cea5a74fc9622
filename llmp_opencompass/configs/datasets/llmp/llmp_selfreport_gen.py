"""Drop-in Human Simulacra self-report datasets, blank and prompt variants (see the hashed file)."""
from mmengine.config import read_base

with read_base():
    from .llmp_selfreport_gen_90a788 import llmp_datasets  # noqa: F401
