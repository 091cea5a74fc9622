"""Summary groups of the drop-in self-report datasets; the configs live in the package, llmp_opencompass/configs/."""
from mmengine.config import read_base

with read_base():
    from llmp_opencompass.configs.summarizers.groups.llmp import llmp_summary_groups  # noqa: F401
