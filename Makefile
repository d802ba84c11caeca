# Two commands do all set-up on a fresh machine (Python 3.11, package registries only):
#   make demo   creates .venv, installs, extracts the bundled Kazinform story and prints its record,
#               then stores it and lists its events and named events
#   make test   creates .venv, installs with test extras (and Debian's chromium), runs pytest
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: demo test install install-test browser screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install -q -e .

install-test: $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'

# Browser tests drive Debian's Chromium through Playwright; never a browser download.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  (apt-get update -qq || true) && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

DEMO_DB ?= demo.duckdb

demo: install
	$(BIN)/entente extract src/entente/examples/kazinform-2017-09-27-csto-serbia.txt --pretty --no-text
	rm -f $(DEMO_DB) $(DEMO_DB).wal
	$(BIN)/entente ingest src/entente/examples --db $(DEMO_DB) --workers 1 --quiet
	$(BIN)/entente events --db $(DEMO_DB) --actor SRB --with CSTO
	$(BIN)/entente named-events --db $(DEMO_DB)

test: install-test browser
	$(BIN)/python -m pytest -q

screenshots: install-test browser
	$(BIN)/python scripts/screenshots.py

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
