# The two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint install lock worker serve clean

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

## make demo: install, migrate, load the demo site and serve it at http://127.0.0.1:8000
demo: $(STAMP)
	$(BIN)/masthead demo

## make test: lint, Django checks, migrations check and the whole test suite
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=masthead.settings.test $(BIN)/python -m django check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=masthead.settings.test $(BIN)/python -m django makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## make lock: re-pin requirements.lock from requirements.in
lock:
	rm -rf var/lockenv && $(PYTHON) -m venv var/lockenv
	var/lockenv/bin/pip install --quiet -r requirements.in
	var/lockenv/bin/pip freeze --exclude-editable > requirements.lock
	rm -rf var/lockenv

clean:
	rm -rf $(VENV) var/*.sqlite3 var/media var/static
