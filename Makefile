# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.bench-installed
# setuptools tells every editable install of a package-dir mapping (templates/ is installed as
# generator.templates) to "be careful with folders named like the package": that notice alone is hidden.
PIP_INSTALL := PYTHONWARNINGS='ignore:Editable installation' $(PY) -m pip install --quiet

.PHONY: run test browser gofmt postgresql generate check lint goldens clean docs serve bench bench-check import-corpora mutation

run: $(STAMP) ## generate everything, then build what is built from it
	$(PY) -m generator generate
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict

docs: $(STAMP) ## serve the docs site locally, rebuilt on every change (http://127.0.0.1:8001); search works here
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs serve --strict -a 127.0.0.1:8001

serve: $(STAMP) ## run the API on http://127.0.0.1:8000; prints the export lines for the examples; data in .serve/, seeded from examples/ when new
	mkdir -p .serve
	$(PY) -m generator serve --db .serve/squall.db --seed examples/activities.jsonl --host 127.0.0.1 --port 8000

test: $(STAMP) browser gofmt postgresql ## the whole suite: lint, type check, generated output up to date, tests
	$(PY) -m generator check
	$(VENV)/bin/ruff check generator tests benchmarks scripts mutation
	$(VENV)/bin/ruff format --check generator tests benchmarks scripts mutation
	$(VENV)/bin/mypy
	$(VENV)/bin/pytest

# The docs browser test drives chromium; the same script installs it for CI (.ci/run).
browser:
	@.ci/install-browser

# The docs' Go examples are checked by gofmt (Debian's golang-go); the same script installs it for CI.
gofmt:
	@.ci/install-go

# The server suite runs on SQLite and on PostgreSQL; the tests start their own server from Debian's package.
postgresql:
	@.ci/install-postgresql

generate: $(STAMP)
	$(PY) -m generator generate

check: $(STAMP)
	$(PY) -m generator check

goldens: $(STAMP) ## rewrite the expected output of the golden tests; review the diff
	SPECGEN_UPDATE_GOLDENS=1 $(VENV)/bin/pytest tests/test_golden.py -q

# Mutation testing (long: not part of `make test`); see mutation/README.md. A fresh run each time,
# MUTATION_JOBS mutants at once (default 2). MUTANTS='generator.runtime.client.*' (mutmut's names,
# * as a wildcard, several separated by spaces) runs only those again and keeps the other results;
# MUTANTS_FILE=names.txt does the same for more names than a command line holds (mutation/sample.py).
MUTATION_JOBS ?= 2
MUTANTS ?=
MUTANTS_FILE ?=
mutation: $(VENV)/bin/mutmut postgresql ## mutation testing of the runtime, the validator and the writer: writes mutation/report.md
	$(VENV)/bin/mypy mutation  # its scripts import mutmut, installed here only
	$(if $(MUTANTS)$(MUTANTS_FILE),$(PY) mutation/prepare.py,rm -rf mutants)
	SPECGEN_HYPOTHESIS_PROFILE=mutation SPECGEN_RUNTIME_AT_SOURCE=1 $(PY) -m tests.postgres_server $(VENV)/bin/mutmut run --max-children $(MUTATION_JOBS) $(foreach m,$(MUTANTS),'$(m)') $(if $(MUTANTS_FILE),$$(cat $(MUTANTS_FILE))) > mutation/run.log 2>&1 || (tail -c 3000 mutation/run.log; exit 1)
	$(PY) mutation/report.py --fail-under 90

$(VENV)/bin/mutmut: $(STAMP)
	$(PIP_INSTALL) -e '.[serve,postgresql,docs,dev,mutation]'
	touch $@

# Not part of `make test`: the regolithe corpora live beside the clone (../shared/corpora), not in it.
import-corpora: $(STAMP) ## import each regolithe corpus of ../shared/corpora, then validate, generate, lint, serve, docs, examples
	$(PY) scripts/import_corpora.py

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PIP_INSTALL) -e '.[serve,postgresql,docs,dev]'
	touch $(STAMP)

# The benchmarks compare with fastapi, pydantic, attrs and datamodel-code-generator: the bench
# extra, installed only here. mypy checks benchmarks/ against those libraries, so it runs here
# too, not in `make test` (which does not install them); .ci/run runs both.
$(BENCH_STAMP): $(STAMP)
	$(PIP_INSTALL) -e '.[serve,postgresql,docs,dev,bench]'
	touch $(BENCH_STAMP)

bench-check: $(BENCH_STAMP) ## type-check benchmarks/ against the libraries they compare with
	$(VENV)/bin/mypy benchmarks

bench: bench-check ## run every benchmark (minutes); figures and conditions in benchmarks/README.md
	$(PY) benchmarks/models.py
	$(PY) benchmarks/generate.py
	$(PY) benchmarks/bad_specs.py
	$(PY) benchmarks/api.py
	$(PY) benchmarks/migrate.py

clean: ## remove the venv, the built site, the make serve database, every cache and the mutants
	rm -rf $(VENV) site .serve .specgen-cache .pytest_cache .mypy_cache .ruff_cache mutants
