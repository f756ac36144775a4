# Kefu: two commands on a fresh machine.
#   make demo   installs, migrates, loads the demo shop and serves it at http://127.0.0.1:8000
#   make test   installs the tools and runs ruff, mypy, the import contracts and pytest
#               (SQLite, then PostgreSQL when it answers at KEFU_TEST_PG_URL)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export KEFU_TEST_PG_URL ?= postgresql://postgres@127.0.0.1:5432/test

.PHONY: demo test install assets messages check-system check-browser migrate serve lint typecheck contracts pytest clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstall only when a lock file or the package metadata changes.
$(VENV)/.installed: $(BIN)/python requirements.lock pyproject.toml
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.dev-installed: $(VENV)/.installed requirements-dev.lock
	$(BIN)/pip install --quiet -r requirements-dev.lock
	touch $@

install: $(VENV)/.installed

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

kefu/web/static/dist/.built: node_modules/.package-lock.json frontend/build.mjs
	npm run --silent build
	touch $@

assets: kefu/web/static/dist/.built

# Debian packages: GNU gettext compiles the translations (demo and test); the browser tests
# drive Debian's chromium with the Noto CJK fonts (test only). Never a downloaded browser.
check-system:
	@bash scripts/system-deps.sh gettext

check-browser:
	@bash scripts/system-deps.sh gettext chromium fonts-noto-cjk

messages: $(VENV)/.installed check-system
	@$(BIN)/python manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

migrate: install
	$(BIN)/python manage.py migrate --no-input -v 0

demo: install assets messages migrate
	$(BIN)/python manage.py collectstatic --no-input -v 0
	$(BIN)/python manage.py demo
	@echo "Jobs: a Huey consumer runs beside the web server (log: var/huey.log)."
	@echo "Serving Kefu at http://$(HOST):$(PORT)/  (Ctrl-C stops both)"
	@bash scripts/serve.sh $(HOST) $(PORT)

test: $(VENV)/.dev-installed assets messages check-browser
	@bash scripts/test.sh

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.dev-installed
	$(BIN)/mypy kefu config

contracts: $(VENV)/.dev-installed
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) node_modules kefu/web/static/dist staticfiles var
