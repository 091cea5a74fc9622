"""The SmolLM2 GGUF converted to a transformers checkpoint: the files transformers 4 needs, a
tokenizer that adds nothing around a text, and the same greedy answer as llama.cpp on the GGUF."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from llmp_opencompass.servers.checkpoint import SMOLLM2_HF_NAME, smollm2_hf_dir

pytestmark = pytest.mark.slow  # loads the real model twice (transformers and llama.cpp)
MESSAGES = [
    {"role": "system", "content": "You are Mary Jones, a 30-year-old nurse."},
    {"role": "user", "content": "What is your name and job?"},
]


def test_checkpoint_directory_names_the_transformers_major_version(tmp_path: Path) -> None:
    import transformers

    major = transformers.__version__.split(".")[0]
    assert smollm2_hf_dir(tmp_path) == tmp_path / "models" / f"{SMOLLM2_HF_NAME}-transformers{major}"


def test_checkpoint_files_load_in_this_transformers(smollm2_checkpoint: Path) -> None:
    from transformers import AutoTokenizer

    config = json.loads((smollm2_checkpoint / "config.json").read_text())
    assert config["rope_theta"] == 100000.0 and config["architectures"] == ["LlamaForCausalLM"]
    assert not (smollm2_checkpoint / "tokenizer.model").exists()  # no copy of the GGUF
    tokenizer = AutoTokenizer.from_pretrained(smollm2_checkpoint)
    assert type(tokenizer).__name__ == "PreTrainedTokenizerFast"
    assert tokenizer.model_input_names == ["input_ids", "attention_mask"]
    assert (tokenizer.eos_token, tokenizer.pad_token) == ("<|im_end|>", "<|im_end|>")
    assert tokenizer.decode(tokenizer("Hello world")["input_ids"]) == "Hello world"  # no BOS, no prefix space
    prompt = tokenizer.apply_chat_template(MESSAGES, add_generation_prompt=True, tokenize=False)
    assert prompt.startswith("<|im_start|>system\nYou are Mary Jones") and prompt.endswith("<|im_start|>assistant\n")


def test_greedy_answer_matches_llama_cpp_on_the_gguf(smollm2_checkpoint: Path) -> None:
    import torch
    from llama_cpp import Llama
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from llmp_opencompass.servers.embedded import smollm2_gguf

    tokenizer = AutoTokenizer.from_pretrained(smollm2_checkpoint)
    model = AutoModelForCausalLM.from_pretrained(smollm2_checkpoint, dtype=torch.float32)
    ids = tokenizer.apply_chat_template(MESSAGES, add_generation_prompt=True, return_tensors="pt")
    with torch.no_grad():
        out = model.generate(ids, attention_mask=torch.ones_like(ids), max_new_tokens=16, do_sample=False)
    ours = tokenizer.decode(out[0][ids.shape[1] :], skip_special_tokens=True)
    llama = Llama(str(smollm2_gguf()), n_ctx=512, n_threads=2, verbose=False)
    reference = llama.create_chat_completion(MESSAGES, max_tokens=16, temperature=0)["choices"][0]["message"]["content"]
    assert ours.strip() and ours.strip() == reference.strip()
