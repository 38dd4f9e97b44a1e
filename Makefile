# CCHC reporting suite. `make` lists the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
CCHC := $(BIN)/cchc
STAMP := $(VENV)/.installed
YEAR ?=
PROVINCE ?=
FORMATS ?= html,pdf
LANG_REPORT ?= vi
FILE ?=
# make lab: the address, port and token of Jupyter's own --ip, --port and --IdentityProvider.token
# (empty: Jupyter's defaults, localhost:8888 and a random token).
IP ?=
PORT ?=
TOKEN ?=
# What users type in these reaches cchc as data, never as code: taken literally (make expands no
# $(...) in them) and passed through the environment, quoted by the shell as one argument each.
USER_VARS := YEAR PROVINCE FORMATS LANG_REPORT FILE IP PORT TOKEN
$(foreach v,$(USER_VARS),$(eval override $(v) := $$(value $(v))))
export $(USER_VARS)
# Make sure Jupyter looks only at the suite's own kernel and config.
export JUPYTER_PLATFORM_DIRS := 1
export PYDEVD_DISABLE_FILE_VALIDATION := 1

CHECK_YEARS ?= 2007 2012 2017 2019 2023 2024 2025

.PHONY: help setup debs reports report overview bundle validate import test test-fast translations lint lab bench clean check-reports

help: ## list the targets
	@grep -hE '^[a-z][a-z-]*:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

setup: $(STAMP) debs ## create .venv from pyproject.toml + constraints.txt, the Jupyter kernel, Debian packages, git filters
	@tools/install-git-filters.sh
	@# The suite's JupyterLab defaults: Vietnamese menus, a code font that sets Vietnamese tone marks on their letter.
	@install -D -m 644 tools/jupyterlab/overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	@# The reports' words: each language's .mo compiled from its .po (lib/cchc/locale; read directly when stale).
	@$(BIN)/python tools/translations.py compile

# Set-up says what it is doing before each step (a first run takes minutes, most of it pip).
$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || { echo "setup: creating the virtual environment $(VENV) ($(PYTHON))"; $(PYTHON) -m venv $(VENV); }
	@echo "setup: installing the suite and its pinned libraries into $(VENV) (pip; a few minutes the first time)"
	@$(BIN)/python -m pip install -q -c constraints.txt -e '.[test]'
	@# rfc3987-syntax (via jsonschema format checks) adds ~1.9 s to every Jupyter process; nothing here needs it.
	@echo "setup: removing rfc3987-syntax and lark (they slow every Jupyter start; nothing here needs them)"
	@$(BIN)/python -m pip uninstall -q -y rfc3987-syntax lark
	@echo "setup: registering the Jupyter kernel cchc inside $(VENV)"
	@$(BIN)/python tools/install-kernel.py
	@touch $@

debs: ## install the Debian packages the reports need (fonts, Chromium) when missing
	@echo "setup: checking the Debian packages (fonts, Chromium for the PDF)"
	@tools/ensure-debian-packages.sh

reports: setup ## render the batch planned in params/ (YEAR=2023, YEAR=2005-2025, YEAR=2021,2023 or YEAR=all)
	$(CCHC) batch $${YEAR:+--years "$$YEAR"}

report: setup ## render one report: make report PROVINCE=dak-nong YEAR=2021
	@test -n "$$PROVINCE" -a -n "$$YEAR" || { echo "usage: make report PROVINCE=dak-nong YEAR=2021"; exit 64; }
	$(CCHC) report --province "$$PROVINCE" --year "$$YEAR" --lang "$$LANG_REPORT" --format "$$FORMATS"

overview: setup ## render the national overview of a year: make overview YEAR=2022
	@test -n "$$YEAR" || { echo "usage: make overview YEAR=2022"; exit 64; }
	$(CCHC) report --province overview --year "$$YEAR" --lang "$$LANG_REPORT" --format "$$FORMATS"

bundle: $(STAMP) ## one zip of a province's reports of every year: make bundle PROVINCE=dak-nong YEAR=2024
	@test -n "$$PROVINCE" || { echo "usage: make bundle PROVINCE=dak-nong YEAR=2024"; exit 64; }
	$(CCHC) bundle --province "$$PROVINCE" $${YEAR:+--year "$$YEAR"} --lang "$$LANG_REPORT"

validate: $(STAMP) ## check every file in data/ and report all problems
	$(CCHC) validate

check-reports: $(STAMP) ## check what every report of CHECK_YEARS says against its data (both languages)
	$(CCHC) check-reports $(CHECK_YEARS)

import: $(STAMP) ## bring an Excel file into data/: make import FILE=path.xlsx
	@test -n "$$FILE" || { echo "usage: make import FILE=path/to/file.xlsx"; exit 64; }
	$(CCHC) import "$$FILE"

# Two pytest-xdist workers; a module's expensive set-up (a batch, a Dask cluster) stays on one worker
# (xdist_group), the shipped data and the rendered reports are made once for both (tests/conftest.py).
PYTEST_WORKERS := -n 2 --dist loadgroup

test: setup lint check-reports ## the lint, the report checker on CHECK_YEARS, then the whole test suite (two processes)
	$(BIN)/python -m pytest -q $(PYTEST_WORKERS)

test-fast: setup ## the tests that start no kernel, batch, browser or data-loading `cchc`: the loop while working
	$(BIN)/python -m pytest -q -m "not slow" $(PYTEST_WORKERS)

translations: $(STAMP) ## after editing lib/cchc/locale/vi/…/cchc.po: new and changed messages into the other languages, .mo compiled
	$(BIN)/python tools/translations.py update

lint: setup ## ruff on lib/ and tests/, mypy on the library, the stages' import layers (settings in pyproject.toml)
	$(BIN)/ruff check lib tests tools
	$(BIN)/ruff format --check lib tests tools
	$(BIN)/python -m mypy
	$(BIN)/lint-imports

lab: setup ## start JupyterLab (Vietnamese interface) on the suite's kernel: make lab [IP=0.0.0.0] [PORT=8890] [TOKEN=…]
	$(BIN)/jupyter lab --notebook-dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root) \
	  $${IP:+--ip="$$IP"} $${PORT:+--port="$$PORT"} $${TOKEN:+--IdentityProvider.token="$$TOKEN"}

bench: setup ## measure batch speed against the in-process bound and print the figures
	$(BIN)/python -m cchc.batch.bench

clean: ## remove rendered reports (keeps data/ and .venv)
	rm -rf reports/*/
