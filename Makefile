# Everything a fresh machine needs: `make demo` and `make test` create .venv and install first.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test check lint bench soak clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/pickpack demo

test: $(STAMP)
	$(BIN)/pytest -q -p no:cacheprovider

check: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy pickpack db printers stations
	$(BIN)/lint-imports

soak: $(STAMP)
	PICKPACK_SOAK_KILL_LOOPS=$${PICKPACK_SOAK_KILL_LOOPS:-200} PICKPACK_SOAK_OUTAGES=$${PICKPACK_SOAK_OUTAGES:-5} PICKPACK_SOAK_OUTAGE_S=$${PICKPACK_SOAK_OUTAGE_S:-5} $(BIN)/pytest -q -p no:cacheprovider -s tests/soak

bench: $(STAMP)
	@echo "see BENCHMARKS.md for each benchmark's command"

clean:
	rm -rf $(VENV) build *.egg-info
