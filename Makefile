# Pelican's convention: make targets for the common tasks.
# `make site` and `make test` work on a fresh Debian machine with Python 3.11+
# (and the python3-venv package): see the README's quick start.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Test workers: one per core (pytest-xdist); `make test WORKERS=0` runs in one process.
WORKERS ?= auto

.PHONY: site test lint serve validate clean

$(STAMP): requirements.txt pyproject.toml
	@echo "== Setting up $(VENV): Python packages from requirements.txt (about 760 MB, first time only) =="
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --disable-pip-version-check --progress-bar on -r requirements.txt
	$(PY) -m pip install --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

site: $(STAMP)
	$(PY) publish.py build

lint: $(STAMP)
	$(VENV)/bin/ruff check plugins tests benchmarks publish.py
	$(VENV)/bin/lint-imports

test: lint
	$(PY) -m pytest -n $(WORKERS)

serve: site
	$(PY) publish.py serve --autoreload

validate: $(STAMP)
	$(PY) publish.py validate

clean:
	rm -rf output .cache
