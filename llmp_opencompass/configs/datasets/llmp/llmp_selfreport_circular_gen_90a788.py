"""Human Simulacra self-report with circular evaluation of the choice items, for any model.

``llmp-blank-circular-<slug>-<type>`` and ``llmp-prompt-circular-<slug>-<type>``: as in
``llmp_selfreport_gen``, but each Single_choice and Multiple_choices item is asked once
per rotation of its options (each option takes every letter once); the item counts as
right only when right in every rotation, and earns the fewest points of its rotations.
Cloze items are asked once. Metrics: ``score``, ``points`` and ``accuracy`` (strict,
same scale as the plain variants) and ``rotation_accuracy`` (% of the asked rows right).
"""
from opencompass.openicl.icl_inferencer import GenInferencer
from opencompass.openicl.icl_prompt_template import PromptTemplate
from opencompass.openicl.icl_retriever import ZeroRetriever

from llmp_opencompass.adapters.circular import CircularSelfReportDataset, CircularSelfReportEvaluator

_llmp_characters = [
    ('Mary Jones', 'mary_jones'),
    ('Sara Ochoa', 'sara_ochoa'),
    ('Tami Clark', 'tami_clark'),
    ('Michael Miller', 'michael_miller'),
    ('Haley Collins', 'haley_collins'),
    ('James Jones', 'james_jones'),
    ('Kevin Kelly', 'kevin_kelly'),
    ('Erica Walker', 'erica_walker'),
    ('Leslie Nichols', 'leslie_nichols'),
    ('Robert Scott', 'robert_scott'),
    ('Marsh Zhaleh', 'marsh_zhaleh'),
]
_llmp_types = [('Cloze', 'cloze'), ('Single_choice', 'single_choice'), ('Multiple_choices', 'multiple_choices')]

llmp_circular_reader_cfg = dict(input_columns=['system', 'prompt', 'persona'], output_column='reference')

llmp_circular_blank_infer_cfg = dict(
    prompt_template=dict(
        type=PromptTemplate,
        template=dict(
            begin=[dict(role='SYSTEM', fallback_role='HUMAN', prompt='{system}')],
            round=[dict(role='HUMAN', prompt='{prompt}'), dict(role='BOT', prompt='')],
        ),
    ),
    retriever=dict(type=ZeroRetriever),
    inferencer=dict(type=GenInferencer),
)

llmp_circular_prompt_infer_cfg = dict(
    prompt_template=dict(
        type=PromptTemplate,
        template=dict(
            begin=[dict(role='SYSTEM', fallback_role='HUMAN', prompt='{persona}\n\n{system}')],
            round=[dict(role='HUMAN', prompt='{prompt}'), dict(role='BOT', prompt='')],
        ),
    ),
    retriever=dict(type=ZeroRetriever),
    inferencer=dict(type=GenInferencer),
)

llmp_circular_eval_cfg = dict(evaluator=dict(type=CircularSelfReportEvaluator), pred_role='BOT')

llmp_circular_datasets = []
for _variant, _infer_cfg in [('blank', llmp_circular_blank_infer_cfg), ('prompt', llmp_circular_prompt_infer_cfg)]:
    for _name, _slug in _llmp_characters:
        for _type, _type_slug in _llmp_types:
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
