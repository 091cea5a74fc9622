"""Drop-in self-report datasets (blank, prompt); the configs live in the package, llmp_opencompass/configs/.

From the repository root, OpenCompass's command line takes all of them or a part (it reads
the lists whose names end with what follows the slash):

    opencompass --datasets llmp_selfreport_gen ...                   # 11 characters x 2 variants x 3 types
    opencompass --datasets llmp_selfreport_gen/mary_jones ...        # one character, both variants
    opencompass --datasets llmp_selfreport_gen/mary_jones_prompt ... # one character, the persona variant
    opencompass --datasets llmp_selfreport_gen/_blank ...            # every character, the blank variant

The parts are the lists llmp_selfreport_<character> and llmp_selfreport_<character>_<variant>,
made below from the datasets' abbrs (llmp-<variant>-<character>-<type>).
"""
from mmengine.config import read_base

with read_base():
    from llmp_opencompass.configs.datasets.llmp.llmp_selfreport_gen import llmp_datasets

for _dataset in llmp_datasets:
    _variant, _character = _dataset['abbr'].split('-')[1:3]
    for _part in (f'llmp_selfreport_{_character}', f'llmp_selfreport_{_character}_{_variant}'):
        globals().setdefault(_part, []).append(_dataset)
del _dataset, _variant, _character, _part
