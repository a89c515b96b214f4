# The README's commands. `make serve` and `make test` each set up .venv on their own.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2

.PHONY: serve test install install-test init validate lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'

## Run the service on http://127.0.0.1:8000 (builds the embedded SQLite database on first run).
serve: install
	$(BIN)/gazetteer serve --host $(HOST) --port $(PORT) --workers $(WORKERS)

## Install the test dependencies and run the whole suite (PostgreSQL too if GAZETTEER_TEST_POSTGRES_URL is set).
test: install-test
	$(BIN)/python -m pytest -q

init: install
	$(BIN)/gazetteer db init

validate: install
	$(BIN)/gazetteer db validate

lint: install-test
	$(BIN)/ruff check gazetteer api tests tools
	$(BIN)/mypy gazetteer

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache
