# Two commands do all the set-up on a fresh machine with Python 3.11+:
#   make run    install what the app needs into .venv and start it
#   make test   install app + test tools (and Debian's chromium if missing), run every test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8501
SHELL  := /bin/bash
# pip, quiet except one numbered line per package, so a first `make run` is never silent for a minute
PIP_INSTALL = start=$$(date +%s); total=$$(grep -c '==' requirements.lock); \
	$(BIN)/pip install --progress-bar off -c requirements.lock $(1) 2>&1 \
	| awk -v total=$$total '/^Collecting /{n++; printf "  [%d of up to %d] %s\n", n, total, $$2; fflush()} \
	                         /^ *Building wheel for/{print "  compiling " $$4 " (the slowest step)..."; fflush()} \
	                         /^Installing collected/{print "  installing them..."; fflush()} \
	                         /^(ERROR|error)/{print; fflush()}'; \
	status=$${PIPESTATUS[0]}; [ $$status -eq 0 ] || { echo "pip failed (exit $$status): rerun with \
	'$(BIN)/pip install -c requirements.lock $(1)' to see why"; exit $$status; }; \
	echo "Installed in $$(( $$(date +%s) - start )) s."

.PHONY: run test bench lint clean chromium

$(BIN)/python:
	@echo "Creating $(VENV) (a private Python environment for this app; a few seconds)..."
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.app-installed: pyproject.toml requirements.lock | $(BIN)/python
	@echo "Installing the app's libraries into $(VENV): first run only, usually one to two minutes (Streamlit,"
	@echo "scikit-learn, Surprise, networkx, plotly and what they need); offline after that."
	@$(call PIP_INSTALL,.)
	@touch $@

$(VENV)/.test-installed: pyproject.toml requirements.lock | $(BIN)/python
	@echo "Installing the app and its test tools into $(VENV): first run only, usually two to three minutes."
	@$(call PIP_INSTALL,".[test]")
	@touch $(VENV)/.app-installed $@

run: $(VENV)/.app-installed
	@echo "Starting the app on http://localhost:$(PORT); the demos' models warm up in the background (progress below)."
	$(BIN)/python -m ui.serve --server.port $(PORT)

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else echo "Browser tests need Debian's chromium: sudo apt-get install -y chromium"; exit 1; fi; }

test: $(VENV)/.test-installed chromium
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

bench: $(VENV)/.test-installed chromium
	$(BIN)/python -m benchmarks

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) data/cache screenshots .pytest_cache
