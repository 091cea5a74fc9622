"""Human Simulacra self-report (Xie et al., arXiv:2402.18180) for any OpenCompass model.

Two variants of the 11 characters x 3 questionnaires (Cloze, Single_choice,
Multiple_choices; 5 items each, 50 points per character):

- ``llmp-blank-<slug>-<type>``: the model answers as itself (the scene only);
- ``llmp-prompt-<slug>-<type>``: the character card is the system prompt (the paper's
  prompt method), so any model evaluates the prompt-method simulacrum as is.

The SYSTEM round falls back to HUMAN for models without a system role. The data is
found when the dataset loads (``LLMP_DATA_DIR``, else the user cache, else a pinned,
verified download). Metrics: ``score`` (points as % of the maximum, main), ``points``
(paper scale) and ``accuracy``; group them with ``configs/summarizers/groups/llmp.py``.
"""
from opencompass.openicl.icl_inferencer import GenInferencer
from opencompass.openicl.icl_prompt_template import PromptTemplate
from opencompass.openicl.icl_retriever import ZeroRetriever

from llmp_opencompass.adapters.selfreport.dataset import SelfReportDataset
from llmp_opencompass.adapters.selfreport.evaluator import SelfReportEvaluator

llmp_characters = [
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
llmp_question_types = [('Cloze', 'cloze'), ('Single_choice', 'single_choice'), ('Multiple_choices', 'multiple_choices')]

llmp_reader_cfg = dict(input_columns=['system', 'prompt', 'persona'], output_column='reference')

llmp_blank_infer_cfg = dict(
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

llmp_prompt_infer_cfg = dict(
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

llmp_eval_cfg = dict(evaluator=dict(type=SelfReportEvaluator), pred_role='BOT')

llmp_datasets = []
for _variant, _infer_cfg in [('blank', llmp_blank_infer_cfg), ('prompt', llmp_prompt_infer_cfg)]:
    for _name, _slug in llmp_characters:
        for _type, _type_slug in llmp_question_types:
            llmp_datasets.append(
                dict(
                    type=SelfReportDataset,
                    abbr=f'llmp-{_variant}-{_slug}-{_type_slug}',
                    character=_name,
                    question_type=_type,
                    reader_cfg=llmp_reader_cfg,
                    infer_cfg=_infer_cfg,
                    eval_cfg=llmp_eval_cfg,
                )
            )
del _variant, _infer_cfg, _name, _slug, _type, _type_slug
