"""Drop-in Human Simulacra self-report datasets, circular evaluation (see the hashed file)."""
from mmengine.config import read_base

with read_base():
    from .llmp_selfreport_circular_gen_90a788 import llmp_circular_datasets  # noqa: F401
