# Two commands do all set-up on a fresh machine (Python 3.11, package registries only):
#   make demo   creates .venv, installs, extracts the bundled Kazinform story and prints its record
#               (a summary, then the record without its empty fields), then stores it in demo.duckdb,
#               lists its events and named events, and says how to open the pages
#   make test   creates .venv, installs with test extras (and Debian's chromium), runs pytest
# and a third for convenience:
#   make serve  serves demo.duckdb (made by the demo's steps if missing) on http://127.0.0.1:8000/
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: demo demo-steps serve test install install-test browser screenshots clean

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
DEMO_ARTICLE := src/entente/examples/kazinform-2017-09-27-csto-serbia.txt
HOST ?= 127.0.0.1
PORT ?= 8000

demo: install
	@$(MAKE) --no-print-directory demo-steps

# The demo without the install (tests/test_install.py runs exactly these steps).
demo-steps:
	$(BIN)/entente extract $(DEMO_ARTICLE) --summary --compact --no-text
	rm -f $(DEMO_DB) $(DEMO_DB).wal
	$(BIN)/entente ingest src/entente/examples --db $(DEMO_DB) --workers 1 --quiet
	$(BIN)/entente events --db $(DEMO_DB) --actor SRB --with CSTO
	$(BIN)/entente named-events --db $(DEMO_DB)
	@echo
	@echo "The pages: $(BIN)/entente serve --db $(DEMO_DB)   (or: make serve)"
	@echo "then open http://$(HOST):$(PORT)/"

serve: install
	@test -f $(DEMO_DB) || $(BIN)/entente ingest src/entente/examples --db $(DEMO_DB) --workers 1 --quiet
	$(BIN)/entente serve --db $(DEMO_DB) --host $(HOST) --port $(PORT)

test: install-test browser
	$(BIN)/python -m pytest -q

screenshots: install-test browser
	$(BIN)/python scripts/screenshots.py

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
