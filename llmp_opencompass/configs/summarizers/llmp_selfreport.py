"""A summarizer for the drop-in self-report datasets (blank and prompt variants): the Human
Simulacra score (0-100) and the mean points per character (out of 50) of each variant.

    with read_base():
        from llmp_opencompass.configs.summarizers.llmp_selfreport import summarizer

The groups are those of ``groups/llmp.py``; a run of some of the characters shows "-" in
these rows (list the character rows, e.g. ``('llmp-prompt-mary_jones-score', ...)``, instead).
"""
from mmengine.config import read_base

with read_base():
    from .groups.llmp import llmp_summary_groups

summarizer = dict(
    dataset_abbrs=[
        ('llmp-prompt-selfreport-score', 'naive_average'),
        ('llmp-blank-selfreport-score', 'naive_average'),
        ('llmp-prompt-selfreport-mean', 'naive_average'),
        ('llmp-blank-selfreport-mean', 'naive_average'),
    ],
    summary_groups=llmp_summary_groups,
)
