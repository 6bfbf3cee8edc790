# OpenLER: `make run` starts the demo, `make test` runs every test.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run test bench lint clean

$(STAMP): pyproject.toml scripts/setup
	bash scripts/setup "$(PY)" "$(VENV)"
	touch $(STAMP)

setup: $(STAMP)

run: setup
	$(BIN)/openler serve --demo

test: setup
	bash scripts/test

bench: setup
	$(BIN)/python -m bench $(GROUPS)

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info src/*.egg-info
