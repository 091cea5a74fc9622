"""Drop-in self-report datasets (blank, prompt); the configs live in the package, llmp_opencompass/configs/."""
from mmengine.config import read_base

with read_base():
    from llmp_opencompass.configs.datasets.llmp.llmp_selfreport_gen import llmp_datasets  # noqa: F401
