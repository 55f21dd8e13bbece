# Everything a fresh machine needs: `make demo` and `make test` create .venv and install first.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-debs check lint bench soak screenshots clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/pickpack demo

# Debian packages the tests need (raster text: a CJK font without Latin, one with, a Latin one;
# the floor board's browser test: headless Chromium and its driver; the kiosk unit: cage and foot).
TEST_DEBS := fonts-droid-fallback fonts-wqy-microhei fonts-dejavu-core chromium chromium-driver cage foot

test-debs:
	@missing=$$(for p in $(TEST_DEBS); do dpkg -s $$p >/dev/null 2>&1 || printf ' %s' $$p; done); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq$$missing; \
	else echo "make test: missing Debian packages; run: sudo apt-get install -y$$missing" >&2; exit 1; fi

test: $(STAMP) test-debs
	$(BIN)/pytest -q -p no:cacheprovider

check: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy pickpack db printers stations
	$(BIN)/lint-imports

soak: $(STAMP)
	PICKPACK_SOAK_KILL_LOOPS=$${PICKPACK_SOAK_KILL_LOOPS:-200} PICKPACK_SOAK_OUTAGES=$${PICKPACK_SOAK_OUTAGES:-5} PICKPACK_SOAK_OUTAGE_S=$${PICKPACK_SOAK_OUTAGE_S:-5} PICKPACK_FUZZ_EXAMPLES=$${PICKPACK_FUZZ_EXAMPLES:-300} $(BIN)/pytest -q -p no:cacheprovider -s tests/soak tests/fuzz

# The floor board as a wall screen shows it, into docs/board.png (headless Chromium).
screenshots: $(STAMP) test-debs
	$(BIN)/python scripts/screenshots.py

bench: $(STAMP)
	@echo "see BENCHMARKS.md for each benchmark's command"

clean:
	rm -rf $(VENV) build *.egg-info
