"""OpenCompass configs shipped with the package, for ``read_base()`` in a user's config.

- ``datasets/llmp/``: the drop-in self-report datasets (blank, prompt, RAG, circular);
- ``summarizers/groups/llmp.py``: their summary groups (``llmp_summary_groups``).

They are lazy-style configs (imports of classes, literal lists and loops, no calls),
read by mmengine as configs, never imported as Python modules.
"""
