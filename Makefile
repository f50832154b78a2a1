# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test generate check lint goldens clean docs serve mutation

run: $(STAMP) ## generate everything, then build what is built from it
	$(PY) -m generator generate
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict

docs: $(STAMP) ## serve the docs site locally, rebuilt on every change (http://127.0.0.1:8001)
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs serve --strict -a 127.0.0.1:8001

serve: $(STAMP) ## run the API on http://127.0.0.1:8000 (prints this run's token); data in .serve/squall.db, seeded from examples/activities.jsonl when new
	mkdir -p .serve
	$(PY) -m generator serve --db .serve/squall.db --seed examples/activities.jsonl --host 127.0.0.1 --port 8000

test: $(STAMP) ## the whole suite: lint, type check, generated output up to date, tests
	$(PY) -m generator check
	$(VENV)/bin/ruff check generator tests benchmarks
	$(VENV)/bin/ruff format --check generator tests benchmarks
	$(VENV)/bin/mypy
	$(VENV)/bin/pytest

generate: $(STAMP)
	$(PY) -m generator generate

check: $(STAMP)
	$(PY) -m generator check

goldens: $(STAMP) ## rewrite the expected output of the golden tests; review the diff
	SPECGEN_UPDATE_GOLDENS=1 $(VENV)/bin/pytest tests/test_golden.py -q

# Mutation testing (long: not part of `make test`); see mutation/README.md. A fresh run each time,
# MUTATION_JOBS mutants at once (default 2).
MUTATION_JOBS ?= 2
mutation: $(VENV)/bin/mutmut ## mutation testing of the runtime, the validator and the writer: writes mutation/report.md
	rm -rf mutants
	SPECGEN_HYPOTHESIS_PROFILE=mutation $(VENV)/bin/mutmut run --max-children $(MUTATION_JOBS) > mutation/run.log 2>&1 || (tail -c 3000 mutation/run.log; exit 1)
	$(PY) mutation/report.py --fail-under 90

$(VENV)/bin/mutmut: $(STAMP)
	$(PY) -m pip install --quiet -e '.[mutation]'
	touch $@

# bench too: mypy checks benchmarks/ against the libraries they compare with.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[serve,docs,dev,bench]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) site .pytest_cache .mypy_cache .ruff_cache mutants
