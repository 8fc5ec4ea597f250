# Two commands: `make run` (set up, demo project, serve) and `make test` (set up, whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test lint install install-dev chromium clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

run: install
	$(BIN)/annotator init-db
	$(BIN)/annotator setup-demo
	$(BIN)/annotator serve --host $(HOST) --port $(PORT)

test: install-dev chromium lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Ruff with the rules Flask itself uses (pyproject.toml); `make test` runs it first.
lint: install-dev
	$(BIN)/ruff check annotator tests bench

# The browser tests drive Debian's Chromium (Playwright's own browser download is not used).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing chromium for the browser tests"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else sudo apt-get install -y chromium; fi; }

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
