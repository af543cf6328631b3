# Two commands matter: `make serve` (build and serve the study site) and `make test` (every test).
# Both create the virtual environment from the pinned requirements on first use.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
# Material's banner about MkDocs 2.0 reads like an error of ours to a newcomer; see the README.
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build offline properdocs render zensical plain-mkdocs test lint fuzz bench bench-smoke chromium clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.site: $(BIN)/python requirements.txt pyproject.toml
	$(BIN)/pip install -q -r requirements.txt -e .
	# Bytecode for our package too, as a wheel install has: an editable one is compiled on every import otherwise
	# where PYTHONDONTWRITEBYTECODE is set.
	$(BIN)/python -m compileall -q plugins
	touch $@

$(VENV)/.dev: $(VENV)/.site requirements-dev.txt
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@

serve: $(VENV)/.site
	$(BIN)/mkdocs serve --dirty --no-strict --dev-addr $(HOST)

# The last commit's time as the build date: the same sources give the same site, byte for byte.
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || date +%s)
export SOURCE_DATE_EPOCH

build: $(VENV)/.site
	$(BIN)/python scripts/build_site.py

offline: $(VENV)/.site
	$(BIN)/python scripts/build_site.py --config-file mkdocs-offline.yml --site-dir site-offline
	@echo "Open site-offline/index.html in a browser: no server needed."

# The same site built by ProperDocs, the maintained fork of MkDocs 1.6 (the tests compare the two).
properdocs: $(VENV)/.dev
	$(BIN)/properdocs build --strict --site-dir site-properdocs

# Beyond MkDocs 1.x without our plugin (see the README): the docs folder with every lesson page already
# rendered (build/docs, its configuration build/mkdocs.yml), built by Zensical or by MkDocs alone, then our
# per-question search entries put into the index the generator wrote.
render: $(VENV)/.site
	$(BIN)/python -m study_guide render docs --out build/docs

zensical: $(VENV)/.dev
	$(BIN)/python -m study_guide render docs --out build/docs
	$(BIN)/zensical build --clean -f build/mkdocs.yml
	$(BIN)/python -m study_guide index build/site
	@echo "The Zensical-built site is in build/site."

plain-mkdocs: $(VENV)/.site
	$(BIN)/python -m study_guide render docs --out build-mkdocs/docs --for mkdocs
	$(BIN)/mkdocs build --strict -f build-mkdocs/mkdocs.yml
	$(BIN)/python -m study_guide index build-mkdocs/site
	@echo "The site MkDocs built without the study-guide plugin is in build-mkdocs/site."

chromium:
	bash scripts/ensure_chromium.sh

lint: $(VENV)/.dev
	$(BIN)/ruff check plugins scripts tests

# Build time, site size and page weight against plain Material at 10, 100 and 500 lessons.
bench: $(VENV)/.dev
	$(BIN)/python scripts/bench.py
	$(BIN)/python scripts/bench_review.py
	$(BIN)/python scripts/bench_export.py

bench-smoke: $(VENV)/.site
	$(BIN)/python scripts/bench.py --smoke

fuzz: $(VENV)/.dev
	HYPOTHESIS_PROFILE=thorough $(BIN)/pytest -q tests/test_properties.py --hypothesis-show-statistics

test: $(VENV)/.dev chromium lint
	$(BIN)/pytest

clean:
	rm -rf site site-offline site-properdocs site.partial build build-mkdocs $(VENV)
