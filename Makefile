# Two commands for a newcomer: `make run` and `make test`. Everything else is optional.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: install run test test-faults lint bench bench-quick bench-cost docs clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/ochotnicy run

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy contracts infra services

test: lint
	bash scripts/ensure-browser.sh
	$(BIN)/pytest

test-faults: install
	$(BIN)/pytest tests/faults --run-faults

bench: install
	$(BIN)/ochotnicy bench

bench-quick: install
	$(BIN)/ochotnicy bench --quick

bench-cost: install
	scripts/ensure-valgrind.sh
	$(BIN)/ochotnicy bench-cost

docs: install
	$(BIN)/ochotnicy docs --out docs/events

clean:
	rm -rf $(VENV) data .pytest_cache
