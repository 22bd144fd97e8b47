# Two commands for a newcomer: `make run` and `make test`. Everything else is optional.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# What is installed: requirements-dev.txt, every version pinned and every file's hash checked (`make lock` writes it).
LOCK   := requirements-dev.txt
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml $(LOCK) | cksum | cut -d' ' -f1)
# `make image`: tagged with the project's version and the git revision it was built from.
IMAGE    ?= ochotnicy
VERSION  := $(shell sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml)
REVISION := $(shell git rev-parse HEAD 2>/dev/null || echo unknown)

.PHONY: install lock image run test test-faults lint bench bench-quick bench-cost soak docs clean

$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

# After a change of the dependencies in pyproject.toml: the two lock files again, keeping every pin that still fits
# (`make lock LOCK_FLAGS=--upgrade` moves every package to its newest allowed version). The image installs
# requirements.txt, the same versions without the local stack's and the tests' packages.
LOCK_FLAGS ?=
lock: install
	$(BIN)/uv pip compile pyproject.toml --quiet --universal --python-version 3.11 --generate-hashes $(LOCK_FLAGS) \
		--extra local --extra dev -o requirements-dev.txt
	$(BIN)/uv pip compile pyproject.toml --quiet --universal --python-version 3.11 --generate-hashes \
		-c requirements-dev.txt -o requirements.txt

image:
	docker build --build-arg VERSION=$(VERSION) --build-arg REVISION=$(REVISION) \
		-t $(IMAGE):$(VERSION) -t $(IMAGE):$(VERSION)-$(shell echo $(REVISION) | cut -c1-12) -t $(IMAGE):latest .

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

# Not in CI: the local stack under a steady mixed load for SOAK_MINUTES, watched every minute (scripts/soak.py);
# it fails when memory or descriptors grow, latency or lag stay high, or anything is lost.
SOAK_MINUTES ?= 30
soak: install
	$(BIN)/python -m scripts.soak --minutes $(SOAK_MINUTES)

docs: install
	$(BIN)/ochotnicy docs --out docs/events

clean:
	rm -rf $(VENV) data .pytest_cache
