# Pelican's convention: make targets for the common tasks.
# `make site` and `make test` work on a fresh Debian machine with Python 3.11.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: site test serve validate clean

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

site: $(STAMP)
	$(PY) publish.py build

test: $(STAMP)
	$(PY) -m pytest

serve: site
	$(PY) publish.py serve --autoreload

validate: $(STAMP)
	$(PY) publish.py validate

clean:
	rm -rf output .cache
