# Plex-o-matic. `make run` and `make test` each work on a fresh machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: install run test test-postgres lint typecheck format migrations-check clean

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

run: install
	$(PY) manage.py serve

# PYTEST_ARGS passes options through, e.g. PYTEST_ARGS='-m "not browser"'.
test: install
	$(PY) -m pytest $(PYTEST_ARGS)

# The whole suite on PostgreSQL. With DATABASE_URL, on that server (pytest
# creates and drops a test_<name> database there: the role needs CREATEDB;
# the database itself is never touched); without, on a throwaway server of
# its own (tests/postgres_cluster.py), removed afterwards.
test-postgres: install
ifdef DATABASE_URL
	PLEXOMATIC_TEST_DATABASE_URL="$$DATABASE_URL" $(PY) -m pytest $(PYTEST_ARGS)
else
	$(PY) -m tests.postgres_cluster -- $(MAKE) --no-print-directory test-postgres
endif

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

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
