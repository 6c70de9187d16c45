# `make demo` and `make test` do all the set-up on a machine with Python 3.11 and pip.
# Another interpreter: make PYTHON=/path/to/python3.11 demo
PYTHON ?= $(shell command -v python3.11 >/dev/null 2>&1 && echo python3.11 || echo python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint build template clean python

# the first thing any target does: the interpreter is 3.11 (torch 2.13.0 and otter 7.0.0 are pinned for it)
python:
	@$(PYTHON) -c 'import sys; v = sys.version_info[:2]; sys.exit(0 if v == (3, 11) else "error: $(PYTHON) is Python %d.%d; this project needs Python 3.11: make PYTHON=python3.11 $(MAKECMDGOALS)" % v)' \
	  || { test -x "$$(command -v $(PYTHON))" || echo "error: no $(PYTHON) here: install Python 3.11, or make PYTHON=/path/to/python3.11 $(MAKECMDGOALS)"; exit 1; }

$(STAMP): requirements.txt requirements-test.txt pyproject.toml | python
	@echo "== setting up $(VENV) with $$($(PYTHON) --version) ($(PYTHON)): 2-4 minutes the first time (torch, otter, pytest)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	@echo "== installing the requirements: pip says what it installs"
	tools/tick "installing the requirements" $(BIN)/pip install --progress-bar on -r requirements.txt -r requirements-test.txt
	$(BIN)/pip install -q --no-deps -e .
	touch $(STAMP)

build: $(STAMP)
	@echo "== building dist/student and dist/autograder.zip (otter assign: about 10 s)"
	$(BIN)/python -m autograder build

demo: build
	@echo "== grading the 7 bundled example notebooks (2 workers: about 15 s)"
	@# the bundled examples are our own notebooks, so the demo also runs where bubblewrap does not
	$(BIN)/python -m autograder grade examples/submissions --out out/demo --force --table --no-sandbox
	@echo "== writing the reports"
	$(BIN)/python -m autograder report out/demo
	@echo ""
	@echo "Demo done: 7 example notebooks graded twice each (as written, then on fresh data) and reported."
	@echo "  scores   out/demo/grades.csv      (one row per submission)"
	@echo "  summary  out/demo/summary.html    (open it in a browser: the class, the mistakes, the plots)"
	@echo "  feedback out/demo/feedback/       (one page per student, Korean; --lang en for English)"
	@echo "Next: README, 'TAs: grading a whole class'."

test: $(STAMP)
	@echo "== ruff, then the tests on every core (about 8 minutes on 2 cores; a dot per test)"
	$(BIN)/ruff check .
	tools/tick "testing" $(BIN)/python -m pytest -q

template: $(STAMP)
	$(BIN)/python -m autograder template

clean:
	rm -rf dist

lint: $(STAMP)
	$(BIN)/ruff check .
