# The two commands a fresh clone needs: `make build` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Every runtime, test and build dependency, pinned with hashes; `make lock` writes it.
LOCK := requirements.lock
PIP_TOOLS := pip-tools==7.6.2
LOCK_FLAGS ?=

.PHONY: build test test-outside test-install check lint bench lock subsetter clean

# The virtual environment is exactly the lock: made afresh whenever the lock or pyproject.toml
# changes, then briefing itself on top, with no dependency resolution and no download other
# than the hashed files. --no-build-isolation: the build backend is the locked setuptools.
$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv --clear $(VENV)
	$(BIN)/pip install --quiet --require-hashes --no-deps -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

# WeasyPrint subsets the fonts it embeds with HarfBuzz's subsetter when the system has it and
# with fontTools otherwise, and the two give different PDFs: briefing requires HarfBuzz's.
subsetter:
	@$(PYTHON) -c 'import ctypes.util, sys; sys.exit(not ctypes.util.find_library("harfbuzz-subset"))' \
	|| { echo "briefing needs HarfBuzz's font subsetter so that every machine makes the same PDF."; \
	     echo "Install it (Debian, Ubuntu), as root:  apt-get install libharfbuzz-subset0"; \
	     exit 1; }

build: subsetter $(STAMP)
	$(BIN)/python build.py build

check: $(STAMP)
	$(BIN)/python build.py check

test: subsetter $(STAMP)
	$(BIN)/ruff check briefing build.py tests bench
	$(BIN)/ruff format --check briefing build.py tests bench
	$(BIN)/mypy
	$(BIN)/pytest -q -n auto -m 'not outside'

# The checks that drive a program outside Python (tests marked `outside`): axe-core in
# headless Chromium, the DOCX in LibreOffice, and the wheel installed from the lock into a new
# virtual environment. Each skips, saying why, where its program is missing; CI installs them
# and runs this after `make test`.
test-outside: subsetter $(STAMP)
	$(BIN)/pytest -q -m outside

# The wheel alone, installed from the lock into a new virtual environment outside the
# checkout, starts a project and builds it (tests marked `install`).
test-install: subsetter $(STAMP)
	$(BIN)/pytest -q -m install

bench: subsetter $(STAMP)
	$(BIN)/python bench/run.py

# Refresh the lock after changing dependencies in pyproject.toml, keeping the other pins;
# `make lock LOCK_FLAGS=--upgrade` moves every pin to the newest release pyproject allows.
lock: $(STAMP)
	$(BIN)/pip install --quiet $(PIP_TOOLS)
	CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile --quiet --extra test --all-build-deps \
	  --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links \
	  $(LOCK_FLAGS) -o $(LOCK) pyproject.toml

clean:
	rm -rf output .pytest_cache .mypy_cache .ruff_cache
