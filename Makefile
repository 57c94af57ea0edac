# Two commands for a newcomer: `make demo` and `make test`. Everything else is a step of those.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
NODE_STAMP := node_modules/.installed-stamp
# The demo and the tests run the development configuration; production sets its own env.
export DJANGO_DEBUG ?= 1

.PHONY: demo test setup install messages migrate lint format serve clean

demo: setup
	$(BIN)/python manage.py load_demo
	@echo "Serving on http://127.0.0.1:8000 (Ctrl-C stops)"
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test: install messages
	$(BIN)/python -m pytest $(PYTEST_ARGS)

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
