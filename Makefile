# Two commands from a fresh clone: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Both cores (pytest-xdist; worksteal keeps the two workers finishing together). Bytecode
# is cached even where PYTHONDONTWRITEBYTECODE is set: each worker would otherwise
# recompile and re-rewrite every module pat and its tests import (about 5 s a worker).
WORKERS ?= 2
PYTEST := PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -q -n $(WORKERS) --dist worksteal

.PHONY: catalogue demo test test-fast lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# The PDF is the HTML report printed by Chromium: written where Chromium is installed.
demo: $(STAMP)
	@if command -v chromium >/dev/null || command -v chromium-browser >/dev/null || \
	    command -v google-chrome >/dev/null; then \
	  $(BIN)/pat run examples/workshop/anytown.toml $(foreach f,html pdf docx pptx xlsx json,-f $(f)); \
	else echo "pat: no PDF without Chromium (apt-get install chromium)"; \
	  $(BIN)/pat run examples/workshop/anytown.toml; fi

# ruff, the import contract (the layers in pyproject.toml) and mypy on src and plugins.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy

# Everything, the browser and slow tests included: the one test command.
test: lint
	$(PYTEST)

# For a quick loop while working: no browser, no package builds, no fresh processes.
test-fast: $(STAMP)
	$(PYTEST) -m "not slow and not browser"

# The template of pat's own words (reports, forms, pat serve pages) that translators copy:
# every string wrapped in _() or N_(). A test checks it is up to date.
catalogue: $(STAMP)
	$(BIN)/pybabel extract --no-location --sort-output --omit-header -k _ -k N_ -k ngettext:1,2 \
	  -F babel.cfg -o src/pat_framework/locale/pat.pot src/pat_framework

bench: $(STAMP)
	for script in benchmarks/bench_*.py; do $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) build *.egg-info .mypy_cache
