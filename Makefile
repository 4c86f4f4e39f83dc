# conflictkg developer tasks.  Every target runs from the repository root.
#
#   make venv   create .venv (if missing) and install conflictkg[dev] in editable mode
#   make run    build the knowledge graph into out/
#   make test   ruff, then pytest
#   make lint   ruff only
#   make clean  remove build products and caches (keeps .venv)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.conflictkg-installed

.PHONY: venv run test lint clean

venv: $(STAMP)

# The stamp makes the install happen once; it is redone when pyproject.toml changes.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: venv
	$(BIN)/conflictkg build

lint: venv
	$(BIN)/ruff check .

test: venv
	$(BIN)/ruff check .
	$(BIN)/pytest -q

clean:
	rm -rf out dist build .pytest_cache .ruff_cache tests/artifacts
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
	find . -path ./$(VENV) -prune -o -name '*.egg-info' -type d -prune -exec rm -rf {} +
