"""Human Simulacra self-report with circular evaluation of the choice items, for any model.

``llmp-blank-circular-<slug>-<type>`` and ``llmp-prompt-circular-<slug>-<type>``: as in
``llmp_selfreport_gen``, but each Single_choice and Multiple_choices item is asked once
per rotation of its options (each option takes every letter once); the item counts as
right only when right in every rotation, and earns the fewest points of its rotations.
Cloze items are asked once. Metrics: ``score``, ``points`` and ``accuracy`` (strict,
same scale as the plain variants) and ``rotation_accuracy`` (% of the asked rows right).
"""
from mmengine.config import read_base

from llmp_opencompass.adapters.selfreport.circular import CircularSelfReportDataset, CircularSelfReportEvaluator

with read_base():  # the characters, types and prompts of the plain variants
    from .llmp_selfreport_gen_90a788 import (
        llmp_blank_infer_cfg,
        llmp_characters,
        llmp_prompt_infer_cfg,
        llmp_question_types,
    )

llmp_circular_reader_cfg = dict(input_columns=['system', 'prompt', 'persona'], output_column='reference')

llmp_circular_eval_cfg = dict(evaluator=dict(type=CircularSelfReportEvaluator), pred_role='BOT')

llmp_circular_datasets = []
for _variant, _infer_cfg in [('blank', llmp_blank_infer_cfg), ('prompt', llmp_prompt_infer_cfg)]:
    for _name, _slug in llmp_characters:
        for _type, _type_slug in llmp_question_types:
            llmp_circular_datasets.append(
                dict(
                    type=CircularSelfReportDataset,
                    abbr=f'llmp-{_variant}-circular-{_slug}-{_type_slug}',
                    character=_name,
                    question_type=_type,
                    reader_cfg=llmp_circular_reader_cfg,
                    infer_cfg=_infer_cfg,
                    eval_cfg=llmp_circular_eval_cfg,
                )
            )
del _variant, _infer_cfg, _name, _slug, _type, _type_slug
