# One set of commands for people and CI.  `make book` and `make test` create the
# environment first when it is missing or older than the lock file.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup bytecode book test audit bench clean help

help:
	@echo "make setup  - create .venv from requirements.lock (idempotent)"
	@echo "make book   - execute every chapter and build the website into _build/html"
	@echo "make test   - run the full test suite (includes a strict book build)"
	@echo "make audit  - re-derive every published number and print the verdicts"
	@echo "make bench  - measure build, rebuild, audit and test times"
	@echo "make clean  - remove _build (keeps .venv)"

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c "import sys; assert sys.version_info[:2] == (3, 11), sys.version" || { echo "error: need Python 3.11; set PYTHON=/path/to/python3.11" >&2; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "$$(grep -E '^uv==' requirements.lock | cut -d' ' -f1)"
	$(BIN)/uv pip install --quiet --python $(BIN)/python --require-hashes --compile-bytecode -r requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps --no-build-isolation -e .
	touch $(STAMP)

# il2lib's bytecode, compiled ahead like the installed packages' (--compile-bytecode above): where
# PYTHONDONTWRITEBYTECODE is set, every process would otherwise recompile il2lib from source (~0.1 s each).
# compileall rewrites only what is stale.
bytecode: $(STAMP)
	@$(BIN)/python -m compileall -q il2lib

book: $(STAMP) bytecode
	$(BIN)/jupyter-book build . --warningiserror --nitpick --keep-going

test: $(STAMP) bytecode
	MPLBACKEND=Agg $(BIN)/python -m pytest

audit: $(STAMP) bytecode
	$(BIN)/il2 audit

bench: $(STAMP) bytecode
	$(BIN)/python -m il2lib.bench

clean:
	rm -rf _build
