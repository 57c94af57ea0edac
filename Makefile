# Two commands for a newcomer: `make demo` and `make test`. Everything else is a step of those.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
NODE_STAMP := node_modules/.installed-stamp
# The demo and the tests run the development configuration; production sets its own env.
export DJANGO_DEBUG ?= 1

.PHONY: demo test setup install messages migrate lint format serve clean pdf-preview

demo: setup
	$(BIN)/python manage.py load_demo
	@echo "Serving on http://127.0.0.1:8000 (Ctrl-C stops)"
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# The demo audit report as PNG pages, to look at the PDF layout without a PDF viewer.
# load_demo is idempotent, so running it every time only makes sure the audit is there.
PREVIEW := var/preview
DEMO_AUDIT_ID = $(BIN)/python manage.py shell -v 0 -c "from audits.models import Audit; \
	print(Audit.objects.get(region__code='norrbotten', reference_number='Nr 11/2021').pk)"
pdf-preview: setup
	$(BIN)/python manage.py load_demo
	rm -f $(PREVIEW)/report-*.png
	$(BIN)/python manage.py export_pdf --audit "$$($(DEMO_AUDIT_ID))" --kind report \
		--out $(PREVIEW)/report.pdf
	pdftoppm -png -r 80 $(PREVIEW)/report.pdf $(PREVIEW)/report
# The summary table "Bedömningar utifrån revisionsfrågor" closes the report; check that
# before the last page becomes the screenshot in the docs.
	@last=$$(ls $(PREVIEW)/report-*.png | sort | tail -n 1); \
	pages=$$(ls $(PREVIEW)/report-*.png | wc -l); \
	pdftotext -f $$pages -l $$pages $(PREVIEW)/report.pdf - \
		| grep -q "Bedömningar utifrån revisionsfrågor" \
		|| { echo "The last page is not the summary table; docs not updated."; exit 1; }; \
	cp $$last docs/screenshots/pdf-report-summary-table.png
	@echo "Pages as PNG: $(PREVIEW)/report-*.png (summary table copied to docs/screenshots/)"

# The tests that need no shared service run in TEST_PROCESSES processes (pytest-xdist, a
# test database each); those with real Celery, SMTP, gunicorn or Chromium processes, which
# share Redis and ports, run after them one at a time. Exit status 5 is "no test selected"
# (a PYTEST_ARGS selection that falls wholly in the other half).
TEST_PROCESSES ?= 2
test: install messages
	$(BIN)/python -m pytest -n $(TEST_PROCESSES) -m "not services and not e2e" $(PYTEST_ARGS) \
		|| [ $$? -eq 5 ]
	$(BIN)/python -m pytest -m "services or e2e" $(PYTEST_ARGS) || [ $$? -eq 5 ]

setup: install messages migrate

install: $(STAMP) $(NODE_STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python >= 3.11 is needed")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=25.1"
	$(BIN)/python -m pip install --quiet --group dev .
	touch $(STAMP)

# Front-end libraries (htmx) come from the npm registry, pinned by package-lock.json,
# and are served as our own static files: no CDN.
$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed (Node.js >= 18)"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

# Compiled catalogues are committed; recompile when gettext is there so edits take effect.
messages: install
	@if command -v msgfmt >/dev/null; then $(BIN)/python manage.py compilemessages --ignore=.venv -v 0; fi

migrate: install
	$(BIN)/python manage.py migrate --noinput -v 0

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) var build *.egg-info staticfiles node_modules artifacts
