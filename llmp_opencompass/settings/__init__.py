"""Everything the package reads from the environment, read here and nowhere else.

The config builders and the commands call these readers once, at the edge, and pass
typed settings on; the core never looks at the environment.

- ``env``: how one variable is parsed (switches, whole and finite numbers, lists, paths);
- ``locations``: the cache base, the call cache file and the index cache directory;
- ``data``: where the Human Simulacra data comes from;
- ``connection``: the endpoints, retries, call cache and call limit of every caller;
- ``run``: what the OpenCompass config builders need (characters, generation, method options);
- ``experiments``: the bandwagon, Jung and observer variables (and the LLM judge).
"""
