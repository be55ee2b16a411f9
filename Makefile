# Two commands: `make run` serves a demo organisation, `make test` runs the whole suite.
SHELL := /bin/sh
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
DEMO_PEOPLE ?= 300

.PHONY: run test chromium assets install dev-install migrate demo worker messages bench clean

$(BIN)/python:
	@PY=$$(scripts/find-python.sh) || exit 1; \
	echo "Creating $(VENV) with $$PY"; \
	"$$PY" -m venv $(VENV) && $(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.dev-installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	@touch $(VENV)/.installed $@

install: $(VENV)/.installed
dev-install: $(VENV)/.dev-installed

migrate: install
	$(BIN)/bascule migrate --no-input -v0

demo: migrate
	PORT=$(PORT) $(BIN)/bascule demo --people $(DEMO_PEOPLE) --seed 1 --if-empty

run: demo assets
	$(BIN)/bascule serve --port $(PORT)

worker: install
	$(BIN)/bascule worker

test: dev-install chromium assets
	@scripts/test.sh

# The browser tests drive Debian's Chromium; Playwright never downloads a browser.
# Installed quietly when missing and apt-get is usable; otherwise those tests are skipped, loudly.
chromium:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing Debian's chromium for the browser tests (log in var/apt-chromium.log)…"; \
	  mkdir -p var; \
	  { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium fonts-liberation; } \
	    >var/apt-chromium.log 2>&1 || echo "Could not install chromium (see var/apt-chromium.log): the browser tests will be skipped."; \
	fi

# The cockpit's chart library (Chart.js) comes from the npm registry, pinned by
# package-lock.json, and is served from our own static files (no CDN). Node.js is optional:
# without it the cockpit shows its tables, without charts.
VENDOR := src/bascule/static/vendor
assets:
	@if command -v npm >/dev/null 2>&1; then \
	  if npm ci --no-audit --no-fund --loglevel=error >/dev/null && mkdir -p $(VENDOR) && \
	    sed '/sourceMappingURL/d' node_modules/chart.js/dist/chart.umd.js > $(VENDOR)/chart.umd.js; then \
	    echo "Charts: Chart.js copied to $(VENDOR)/"; \
	  else \
	    echo "npm ci failed (offline?): the adoption cockpit will show its tables without charts."; \
	  fi; \
	else \
	  echo "Node.js (npm) not found: the adoption cockpit will show its tables without charts. Install Node.js and run 'make assets' for the charts."; \
	fi

messages: dev-install
	cd src/bascule && ../../$(BIN)/bascule makemessages -l fr -l en --no-obsolete && ../../$(BIN)/bascule compilemessages

bench: dev-install
	@echo "Benchmarks are described in bench/README.md"

clean:
	rm -rf $(VENV) var/ src/*.egg-info
