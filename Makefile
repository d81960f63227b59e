# qa-toolkit: `make demo` runs the pipeline on the shipped samples, `make test` runs the tests.
# Both create (or reuse) the virtual environment .venv with the Python 3.11 found on PATH.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip --disable-pip-version-check -q
QA     := $(VENV)/bin/qa
DEMO_DB := sqlite:///demo/qa.db
PYTEST_ARGS ?=

.PHONY: demo test install clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip

# Stamp files: reinstall only when pyproject.toml changes.
$(VENV)/.installed-demo: pyproject.toml | $(PY)
	$(PIP) install -e '.[postgres]'
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(PIP) install -e '.[postgres,test]'
	touch $@

install: $(VENV)/.installed-demo

demo: $(VENV)/.installed-demo
	rm -rf demo && mkdir -p demo/out
	$(QA) init --db $(DEMO_DB)
	$(QA) agents add a-17 "Dana Park" --team billing --hired-at 2025-03-01 --db $(DEMO_DB)
	$(QA) agents add a-23 "José Zoë Martín" --team billing --hired-at 2024-06-15 --db $(DEMO_DB)
	$(QA) agents add a-31 "Li Lei 李雷" --team tech --hired-at 2026-01-10 --db $(DEMO_DB)
	$(QA) users add maria --role reviewer --db $(DEMO_DB)
	$(QA) users add sam --role reviewer --agent a-31 --db $(DEMO_DB)
	$(QA) users add lee --role lead --db $(DEMO_DB)
	$(QA) agents list --db $(DEMO_DB)
	$(QA) users list --db $(DEMO_DB)
	$(QA) db current --check --db $(DEMO_DB)

test: $(VENV)/.installed-test
	$(PY) -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) demo .pytest_cache
