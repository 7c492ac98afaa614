# cctns-warehouse: `make demo` and `make test` set everything up on a fresh machine that has
# only Python 3.11+ and pip. Runtime state lives under $(CCTNS_HOME) (default ./var).
SHELL := /bin/bash
.DEFAULT_GOAL := help

UV_VERSION := 0.13.9
UV := $(shell command -v uv 2>/dev/null)
ifeq ($(UV),)
UV := python3 -m uv
endif
export CCTNS_HOME ?= $(CURDIR)/var
export UV_LINK_MODE ?= copy

SAMPLE_ARGS := --start 2026-11-01 --days 7 --scale 0.013 --seed 2026 --defect-rate 0.01 --warmup-days 1095

.PHONY: help setup deploy browser demo test test-fast lint format bench sample clean

help:
	@echo "make demo    install, run the pipeline on the committed sample, start the dashboards"
	@echo "make deploy  install and prepare the dbt manifest the nightly Airflow DAG renders from"
	@echo "make test    install and run every test (what CI runs)"
	@echo "make test-fast  the unit tests only (no generate/ingest/build/Airflow/browser fixtures)"
	@echo "make browser install Debian chromium for the headless browser tests"
	@echo "make lint    ruff lint + format check, sqlfluff on the dbt SQL"
	@echo "make bench   benchmarks (results under bench/results/)"
	@echo "make sample  regenerate the committed sample under sample_data/sample/"

setup:
	@$(UV) --version >/dev/null 2>&1 || python3 -m pip install --quiet "uv==$(UV_VERSION)"
	@$(UV) sync --frozen --quiet
	@mkdir -p "$(CCTNS_HOME)"

# The deployment step: the dbt manifest of cctns_nightly_build ($$CCTNS_HOME/warehouse/dbt_manifest/,
# or $$CCTNS_DBT_MANIFEST). Rerun after every change of dbt_project/ (unchanged: no parse).
deploy: setup
	@$(UV) run --frozen cctns deploy

demo: setup deploy
	@$(UV) run --frozen python -m cctns.demo

# Debian's chromium for the headless browser tests (installed here, never inside a test).
browser:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian chromium for the browser tests"; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "chromium is missing and this is not a root Debian shell: install it with 'apt-get install chromium'"; \
	  fi; \
	fi

test: setup browser deploy
	@$(UV) run --frozen pytest

# Unit tests: every test not marked `integration` (tests/conftest.py marks those that use a heavy
# session fixture; long ones are marked by hand). Under 3 minutes on 2 cores.
test-fast: setup
	@$(UV) run --frozen pytest -m "not integration" -q

lint: setup
	@$(UV) run --frozen ruff check .
	@$(UV) run --frozen ruff format --check .
	@cd dbt_project && CCTNS_DBT_DUCKDB_PATH=:memory: $(UV) run --frozen sqlfluff lint models tests macros 2>&1 | grep -v "^WARNING.*Skipped file" ; exit $${PIPESTATUS[0]}

format: setup
	@$(UV) run --frozen ruff format .
	@$(UV) run --frozen ruff check --fix .

bench: setup
	@$(UV) run --frozen python -m bench

sample: setup
	@$(UV) run --frozen cctns generate $(SAMPLE_ARGS) --out sample_data/sample --overwrite --flat

clean:
	rm -rf "$(CCTNS_HOME)" .pytest_cache .ruff_cache
