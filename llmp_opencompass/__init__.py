"""Human Simulacra (Xie et al., arXiv:2402.18180) as an OpenCompass plugin.

The core packages (`data`, `llm`, `simulacra`, `scoring`) never import OpenCompass;
`adapters` holds the only code that does.
"""

__version__ = "0.1.0"
