"""Drop-in self-report datasets (circular); the configs live in the package, llmp_opencompass/configs/."""
from mmengine.config import read_base

with read_base():
    from llmp_opencompass.configs.datasets.llmp.llmp_selfreport_circular_gen import llmp_circular_datasets  # noqa: F401
