# Pelican's convention: make targets for the common tasks.
# `make site` and `make test` work on a fresh Debian machine with Python 3.11+
# (and the python3-venv package): see the README's quick start.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Test workers: one per core (pytest-xdist); `make test WORKERS=0` runs in one process.
WORKERS ?= auto

.PHONY: site test lint serve validate clean hooks

$(STAMP): requirements.txt pyproject.toml
	@echo "== Setting up $(VENV): Python packages from requirements.txt (about 800 MB, first time only) =="
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --disable-pip-version-check --progress-bar on -r requirements.txt
	$(PY) -m pip install --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

# The source date of a package that states no date and has no period: the last commit's
# time, so the same commit builds the same site (docs/settings.md, TALLY_SOURCE_DATE).
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null)

site: $(STAMP) hooks
	SOURCE_DATE_EPOCH=$(SOURCE_DATE_EPOCH) $(PY) publish.py build

# The pre-commit hook (.githooks/pre-commit): refuses raw-looking files and runs the privacy gate.
# A hook someone else installed is left alone, with a note.
hooks:
	@hooks=$$(git rev-parse --git-path hooks 2>/dev/null) || { echo "not a git clone: no pre-commit hook"; exit 0; }; \
	target="$$hooks/pre-commit"; mkdir -p "$$hooks"; \
	if [ -f "$$target" ] && ! grep -q "Tally pre-commit hook" "$$target"; then \
		echo "note: $$target exists and is not Tally's; add .githooks/pre-commit to it"; \
	else install -m 755 .githooks/pre-commit "$$target"; fi

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
