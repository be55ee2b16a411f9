# Two commands: `make run` serves a demo organisation, `make test` runs the whole suite.
SHELL := /bin/sh
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
DEMO_PEOPLE ?= 300

.PHONY: run test install dev-install migrate demo worker messages bench clean

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
	$(BIN)/bascule demo --people $(DEMO_PEOPLE) --seed 1 --if-empty

run: demo
	$(BIN)/bascule serve --port $(PORT)

worker: install
	$(BIN)/bascule worker

test: dev-install
	scripts/test.sh

messages: dev-install
	cd src/bascule && ../../$(BIN)/bascule makemessages -l fr -l en --no-obsolete && ../../$(BIN)/bascule compilemessages

bench: dev-install
	@echo "Benchmarks are described in bench/README.md"

clean:
	rm -rf $(VENV) var/ src/*.egg-info
