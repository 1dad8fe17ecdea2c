# Practica — `make demo` and `make test` are the two commands; everything else supports them.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/practica
BENCH_PG_URL ?= postgres://postgres@127.0.0.1:5432/practica_bench
CHROMIUM ?= /usr/bin/chromium
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help install static demo test lint test-sqlite test-postgres test-browser bench chromium clean

help:
	@echo "make demo   install everything, load the demo partnership and serve it on http://127.0.0.1:8000"
	@echo "make test   lint, then every test on SQLite, on PostgreSQL and in Chromium"
	@echo "make lint | make bench | make test-sqlite | make test-postgres | make test-browser"

$(BIN)/python:
	@python=$$(scripts/find-python) && echo "Using $$python" && "$$python" -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python pyproject.toml uv.lock
	@$(BIN)/python -m pip --version >/dev/null 2>&1 || $(BIN)/python -m ensurepip >/dev/null  # a venv cut short
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==0.13.8
	UV_PROJECT_ENVIRONMENT=$(VENV) $(BIN)/uv sync --frozen --quiet
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	@touch $@

install: $(VENV)/.installed node_modules/.installed

static: node_modules/.installed
	npm run --silent build

demo: install static
	$(BIN)/practica demo

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy practica tests benchmarks
	$(BIN)/lint-imports --no-cache
	$(BIN)/bandit --recursive practica --exclude "*/tests/*,*/migrations/*" --severity-level medium --quiet
	$(BIN)/python scripts/audit-dependencies

test-sqlite: install static
	$(BIN)/pytest -m "not browser" -q -n auto --dist loadgroup

test-postgres: install static
	@$(BIN)/python scripts/check-postgres "$(PG_URL)"
	PRACTICA_DATABASE_URL="$(PG_URL)" $(BIN)/pytest -m "not browser" -q -n auto --dist loadgroup

chromium:
	@test -x $(CHROMIUM) || { echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	@test -x $(CHROMIUM) || { echo "Chromium is not at $(CHROMIUM); install the Debian package 'chromium'." >&2; exit 1; }

test-browser: install static chromium
	$(BIN)/pytest -m browser -q -p no:randomly

test: lint test-sqlite test-postgres test-browser

# on PostgreSQL, in a database made afresh (BENCH_PG_URL; `python -m benchmarks bench_x` runs one)
bench: install static
	@$(BIN)/python scripts/check-postgres "$(BENCH_PG_URL)"
	@$(BIN)/python scripts/fresh-database "$(BENCH_PG_URL)"
	PRACTICA_DATABASE_URL="$(BENCH_PG_URL)" $(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) node_modules practica/static/build staticfiles .pytest_cache .mypy_cache .ruff_cache
