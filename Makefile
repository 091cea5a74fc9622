# Quick start: `make demo` (embedded model, all 11 characters) and `make test`.
.PHONY: setup demo test test-fast lint clean

VENV  := .venv
STAMP := $(VENV)/.llmp-setup-stamp
DEMO_WORKDIR ?= outputs/demo
# The embedded SmolLM2-135M writes long answers slowly on a CPU; cap them for the demo.
DEMO_MAX_OUT_LEN ?= 160
# llama.cpp's prompt cache (MB): a character's persona prompt is read once, not once per question.
# The server's memory grows by up to 4-10 times this (see README, "serve").
DEMO_PROMPT_CACHE_MB ?= 256

setup: $(STAMP)

$(STAMP): setup.py pyproject.toml constraints.txt scripts/setup.sh
	bash scripts/setup.sh
	touch $@

demo: setup
	LLMP_MAX_OUT_LEN=$(DEMO_MAX_OUT_LEN) $(VENV)/bin/llmp-opencompass serve --log $(DEMO_WORKDIR)/server.log \
		--prompt-cache-mb $(DEMO_PROMPT_CACHE_MB) -- \
		$(VENV)/bin/opencompass configs/llmp_prompt.py -w $(DEMO_WORKDIR)

test: setup
	$(VENV)/bin/python -m pytest

# The developer loop: the unit tier, without end-to-end runs and slow unit tests.
test-fast: setup
	$(VENV)/bin/python -m pytest -m "not e2e and not slow"

lint: setup
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) outputs tmp icl_inference_output .pytest_cache .ruff_cache
