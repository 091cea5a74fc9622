"""Human Simulacra Jung cognitive-function test (Xie et al., arXiv:2402.18180) for any OpenCompass model.

The observer-report proxy: the model, as the character, says yes or no to statements
from ``traits.txt`` (8 functions x 8 levels); agreeing with a level-L statement adds
+4 .. -4 to its function. The functions ranked by score are compared with the
character's true order (derived from its 20 trait statements). Two variants of the
11 characters:

- ``llmp-jung-blank-<slug>``: the model answers as itself (the scene only);
- ``llmp-jung-prompt-<slug>``: the character card is the system prompt.

Each dataset asks 40% of the statements of every function and level (256 items, the
original script's intended default; seeded, the same for every run); set ``ratio`` on a
dataset (0.1 to 1) to change it. Metrics: ``kendall_tau`` (main), ``spearman``,
``top1_match``, ``unparsed`` and the ``profile``; ``configs/summarizers/groups/llmp.py``
averages them per variant.
"""
from mmengine.config import read_base

from llmp_opencompass.adapters.jung.dataset import JungDataset
from llmp_opencompass.adapters.jung.evaluator import JungEvaluator

with read_base():  # the same prompts as the self-report's blank and prompt variants
    from .llmp_selfreport_gen_90a788 import llmp_blank_infer_cfg, llmp_characters, llmp_prompt_infer_cfg


llmp_jung_reader_cfg = dict(input_columns=['system', 'prompt', 'persona'], output_column='reference')
llmp_jung_eval_cfg = dict(evaluator=dict(type=JungEvaluator), pred_role='BOT')

llmp_jung_datasets = []
for _variant, _infer_cfg in [('blank', llmp_blank_infer_cfg), ('prompt', llmp_prompt_infer_cfg)]:
    for _name, _slug in llmp_characters:
        llmp_jung_datasets.append(
            dict(
                type=JungDataset,
                abbr=f'llmp-jung-{_variant}-{_slug}',
                character=_name,
                ratio=0.4,
                reader_cfg=llmp_jung_reader_cfg,
                infer_cfg=_infer_cfg,
                eval_cfg=llmp_jung_eval_cfg,
            )
        )
del _variant, _infer_cfg, _name, _slug
