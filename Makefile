# IGS-atlas: `make run` sets up, imports and serves; `make test` runs the whole suite on SQLite and PostgreSQL.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DATA_DIR ?= $(or $(IGSATLAS_DATA_DIR),../shared/data)
DB := var/igsatlas.sqlite3
STAMP := $(VENV)/.installed
# Every installed version is pinned here (the test tools too, so that a new ruff or mypy cannot fail the lint
# with no change of ours): `make constraints` writes it again from the current .venv after a deliberate upgrade.
CONSTRAINTS := requirements/constraints.txt
TEST_PG_URL ?= postgresql://postgres@127.0.0.1:5432/test
DATA_FILES := $(shell find $(DATA_DIR) -type f 2>/dev/null)
export IGSATLAS_DATA_DIR := $(abspath $(DATA_DIR))

CHROMIUM := /usr/bin/chromium
NGINX := /usr/sbin/nginx
AXE := node_modules/axe-core/axe.min.js

.PHONY: install constraints run import test test-sqlite test-postgresql browser-tools pdf-libs lint bench clean

$(STAMP): pyproject.toml $(CONSTRAINTS)
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip -c $(CONSTRAINTS)
	$(BIN)/pip install --quiet -e '.[test]' -c $(CONSTRAINTS)
	touch $@

install: $(STAMP) pdf-libs

constraints: $(STAMP)
	$(BIN)/pip freeze --all --exclude-editable | grep -v '^#' > $(CONSTRAINTS)

# The database is rebuilt when it is missing or older than the data or the importer.
$(DB): $(STAMP) $(DATA_FILES) $(wildcard src/igsatlas/ingest/*) $(wildcard src/igsatlas/store/schema*.py)
	$(BIN)/igs import
	touch $@

import: $(DB)

run: $(DB) pdf-libs
	$(BIN)/igs serve --send-mail

# Browser tests drive Debian's Chromium (Playwright cannot download a browser here) and inject axe-core.
$(CHROMIUM):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

# The proxy tests and bench/web.py --nginx run Debian's nginx on loopback with docs/nginx/igs-atlas.conf.
$(NGINX):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx

$(AXE): package.json package-lock.json
	npm ci --silent --no-audit --no-fund
	touch $@

browser-tools: $(CHROMIUM) $(NGINX) $(AXE) pdf-libs

# The dossier's PDF (WeasyPrint) needs Pango and a font; installed via apt-get when missing.
pdf-libs:
	@ldconfig -p | grep -q 'libpangoft2-1.0.so.0' && fc-list | grep -qi dejavu || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core)

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
	$(BIN)/python bench/dossier.py
	$(BIN)/python bench/analysis.py
	$(BIN)/python bench/search.py

clean:
	rm -rf var .pytest_cache .mypy_cache .ruff_cache
