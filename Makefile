# Every target builds what it needs from a fresh clone: a venv with hash-pinned dependencies.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: start test lint check bench clean

$(STAMP): pyproject.toml requirements/dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/dev.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

start: $(STAMP)
	$(BIN)/simexit check
	$(BIN)/simexit assess --carrier tmobile --plan postpaid --keep-number

lint: $(STAMP)
	$(BIN)/ruff check py tests
	$(BIN)/ruff format --check py tests

check: $(STAMP)
	$(BIN)/simexit check

test: lint check
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python tests/bench.py

clean:
	rm -rf $(VENV) dist build .pytest_cache .hypothesis
