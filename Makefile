# Plex-o-matic. `make run` and `make test` each work on a fresh machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: install run test lint typecheck format migrations-check clean

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

run: install
	$(PY) manage.py serve

test: install
	$(PY) -m pytest

lint: install typecheck
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# The django-stubs plugin imports the settings, which need a data folder.
typecheck: install
	PLEXOMATIC_DATA_DIR=$$(mktemp -d) $(PY) -m mypy

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

migrations-check: install
	PLEXOMATIC_DATA_DIR=$$(mktemp -d) $(PY) manage.py makemigrations --check --dry-run

# Pictures of the site for the README, taken by the browser tests (needs Chromium).
.PHONY: screenshots
screenshots: install
	PLEXOMATIC_SCREENSHOT_DIR=docs/screenshots $(PY) -m pytest tests/test_browser_screenshots.py -q -p no:cacheprovider

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
