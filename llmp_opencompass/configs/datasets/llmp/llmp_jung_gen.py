"""Drop-in Human Simulacra Jung cognitive-function test, blank and prompt variants (see the hashed file)."""
from mmengine.config import read_base

with read_base():
    from .llmp_jung_gen_0653de import llmp_jung_datasets  # noqa: F401
