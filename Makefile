# `make demo` and `make test` do all the set-up on a machine with Python 3.11 and pip.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint build template clean

$(STAMP): requirements.txt requirements-test.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.txt -r requirements-test.txt
	$(BIN)/pip install -q --no-deps -e .
	touch $(STAMP)

build: $(STAMP)
	$(BIN)/python -m autograder build

demo: build
	# the bundled examples are our own notebooks, so the demo also runs where bubblewrap does not
	$(BIN)/python -m autograder grade examples/submissions --out out/demo --force --table --no-sandbox
	$(BIN)/python -m autograder report out/demo

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

template: $(STAMP)
	$(BIN)/python -m autograder template

clean:
	rm -rf dist

lint: $(STAMP)
	$(BIN)/ruff check .
