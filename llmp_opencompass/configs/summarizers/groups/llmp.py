"""Summary groups of the drop-in Human Simulacra self-report datasets (``llmp_summary_groups``).

For each variant ``V`` (``blank``, ``prompt``, ``rag``, ``blank-circular``,
``prompt-circular``) and each model column:

- ``llmp-V-selfreport-score``: the Human Simulacra self-report score, 0-100: the mean
  over the characters of their points out of 50, rescaled (``weighted_average`` rows
  below, averaged; list it as ``('llmp-V-selfreport-score', 'naive_average')``);
- ``llmp-V-<slug>-score``: one character's points out of 50 as 0-100: the weighted
  average of its datasets' ``score`` with their maximum points (10, 10, 30) as weights;
- ``llmp-V-<slug>-total``: its points out of 50 (``sum``);
- ``llmp-V-<type>-mean``: mean points of a questionnaire (out of 10, 10, 30);
- ``llmp-V-selfreport-mean``: mean points per character, out of 50;
- ``llmp-V-selfreport-accuracy``: mean % of items fully right.

For the Jung test's variants ``V`` (``blank``, ``prompt``): ``llmp-jung-V-kendall_tau``,
``llmp-jung-V-spearman`` and ``llmp-jung-V-top1``, the means over the characters.

A group shows "-" while any of its datasets has no result (e.g. a run of a subset of
the characters shows the character rows only).
"""

_llmp_variants = ['blank', 'prompt', 'rag', 'blank-circular', 'prompt-circular']
_llmp_slugs = [
    'mary_jones', 'sara_ochoa', 'tami_clark', 'michael_miller', 'haley_collins', 'james_jones',
    'kevin_kelly', 'erica_walker', 'leslie_nichols', 'robert_scott', 'marsh_zhaleh',
]
_llmp_max_points = [('cloze', 10), ('single_choice', 10), ('multiple_choices', 30)]

llmp_summary_groups = []
for _v in _llmp_variants:
    _p = 'llmp-' + _v
    for _s in _llmp_slugs:
        llmp_summary_groups.append(
            dict(name=f'{_p}-{_s}-total', subsets=[(f'{_p}-{_s}-{_t}', 'points') for _t, _m in _llmp_max_points],
                 metric='sum'))
    for _t, _m in _llmp_max_points:
        llmp_summary_groups.append(
            dict(name=f'{_p}-{_t}-mean', subsets=[(f'{_p}-{_s}-{_t}', 'points') for _s in _llmp_slugs]))
    llmp_summary_groups.append(
        dict(name=f'{_p}-selfreport-mean', subsets=[(f'{_p}-{_s}-total', 'sum') for _s in _llmp_slugs]))
    llmp_summary_groups.append(
        dict(name=f'{_p}-selfreport-accuracy',
             subsets=[(f'{_p}-{_s}-{_t}', 'accuracy') for _s in _llmp_slugs for _t, _m in _llmp_max_points]))
    for _s in _llmp_slugs:
        llmp_summary_groups.append(
            dict(name=f'{_p}-{_s}-score', subsets=[(f'{_p}-{_s}-{_t}', 'score') for _t, _m in _llmp_max_points],
                 weights={f'{_p}-{_s}-{_t}': _m for _t, _m in _llmp_max_points}))
    llmp_summary_groups.append(
        dict(name=f'{_p}-selfreport-score', subsets=[(f'{_p}-{_s}-score', 'weighted_average') for _s in _llmp_slugs]))
for _v in ['blank', 'prompt']:
    for _row, _metric in [('kendall_tau', 'kendall_tau'), ('spearman', 'spearman'), ('top1', 'top1_match')]:
        llmp_summary_groups.append(
            dict(name=f'llmp-jung-{_v}-{_row}', subsets=[(f'llmp-jung-{_v}-{_s}', _metric) for _s in _llmp_slugs]))
del _v, _p, _s, _t, _m, _row, _metric
