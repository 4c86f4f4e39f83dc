# conflictkg developer tasks.  Every target runs from the repository root.
#
#   make venv   create .venv (if missing) and install conflictkg[dev] in editable mode
#   make run    build the knowledge graph into out/
#   make test   ruff, then pytest on two processes (installs the npm readers of the export tests first)
#   make readers  install the npm readers (tests/readers/package.json) the export tests use
#   make lint   ruff only
#   make clean  remove build products and caches (keeps .venv)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.conflictkg-installed

READERS := tests/readers/node_modules/.package-lock.json

.PHONY: venv readers run test lint clean

venv: $(STAMP)

# The stamp makes the install happen once; it is redone when pyproject.toml changes.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

readers: $(READERS)

# npm ci installs exactly the versions of tests/readers/package-lock.json; without npm the
# tests that need these readers say so and skip.
$(READERS): tests/readers/package.json tests/readers/package-lock.json
	@if command -v npm > /dev/null; then \
		npm ci --prefix tests/readers --no-audit --no-fund --loglevel=error; \
	else \
		echo "npm is not installed: the export tests that need Node.js readers will skip"; \
	fi

run: venv
	$(BIN)/conflictkg build
	$(BIN)/conflictkg query --all --format csv -o out/answers
	$(BIN)/conflictkg export --format all --out-dir out/export
	$(BIN)/conflictkg export --format html --view events -o out/export/events.html
	$(BIN)/conflictkg export --format csv --view events --out-dir out/export
	$(BIN)/conflictkg analyze centrality -f csv -o out/analysis/centrality.csv --plot out/centrality.png
	$(BIN)/conflictkg analyze path JNIM Wagner --all -o out/analysis/path-jnim-wagner.txt --plot out/analysis/path-jnim-wagner.png
	$(BIN)/conflictkg analyze path JNIM Russia --k 3 -o out/analysis/path-jnim-russia.txt
	$(BIN)/conflictkg analyze communities --camps -o out/analysis/camps.txt --plot out/analysis/camps.png
	$(BIN)/conflictkg analyze ego JNIM --radius 2 -o out/analysis/ego-jnim.txt --plot out/analysis/ego-jnim.png
	$(BIN)/conflictkg analyze balance -o out/analysis/balance.txt --plot out/analysis/balance.png
	$(BIN)/conflictkg analyze timeline -f csv -o out/analysis/timeline.csv --plot out/analysis/timeline.png

lint: venv
	$(BIN)/ruff check .

test: venv readers
	$(BIN)/ruff check .
	$(BIN)/pytest -q -n 2 --dist loadfile

clean:
	rm -rf out dist build .pytest_cache .ruff_cache tests/artifacts
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
	find . -path ./$(VENV) -prune -o -name '*.egg-info' -type d -prune -exec rm -rf {} +
