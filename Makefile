# IGS-atlas: `make run` sets up, imports and serves; `make test` runs the whole suite on SQLite and PostgreSQL.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DATA_DIR ?= $(or $(IGSATLAS_DATA_DIR),../shared/data)
DB := var/igsatlas.sqlite3
STAMP := $(VENV)/.installed
TEST_PG_URL ?= postgresql://postgres@127.0.0.1:5432/test
DATA_FILES := $(shell find $(DATA_DIR) -type f 2>/dev/null)
export IGSATLAS_DATA_DIR := $(abspath $(DATA_DIR))

CHROMIUM := /usr/bin/chromium
AXE := node_modules/axe-core/axe.min.js

.PHONY: install run import test test-sqlite test-postgresql browser-tools lint bench clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(STAMP)

# The database is rebuilt when it is missing or older than the data or the importer.
$(DB): $(STAMP) $(DATA_FILES) $(wildcard src/igsatlas/ingest/*) src/igsatlas/store/schema.py
	$(BIN)/igs import
	touch $@

import: $(DB)

run: $(DB)
	$(BIN)/igs serve

# Browser tests drive Debian's Chromium (Playwright cannot download a browser here) and inject axe-core.
$(CHROMIUM):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

$(AXE): package.json package-lock.json
	npm ci --silent --no-audit --no-fund
	touch $@

browser-tools: $(CHROMIUM) $(AXE)

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

# Two workers (pytest-xdist), each taking whole test files, so module fixtures are built once per file.
PYTEST := $(BIN)/pytest -q -n 2 --dist loadfile

test-sqlite: $(STAMP) browser-tools
	$(PYTEST)

test-postgresql: $(STAMP) browser-tools
	IGSATLAS_TEST_DATABASE_URL=$(TEST_PG_URL) $(PYTEST)

test: lint test-sqlite test-postgresql

bench: $(STAMP) $(DB)
	$(BIN)/python bench/import.py
	$(BIN)/python bench/web.py
	$(BIN)/python bench/mail.py
	$(BIN)/python bench/planner.py
	$(BIN)/python bench/api.py
	$(BIN)/python bench/search.py

clean:
	rm -rf var .pytest_cache .mypy_cache .ruff_cache
