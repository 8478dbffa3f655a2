# The two commands: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?= --durations=10

# Install steps leave a stamp file and rerun only when what they install from changes.
VENV_STAMP := $(VENV)/.installed
NPM_STAMP := $(if $(wildcard package.json),node_modules/.installed)

.PHONY: install run serve demo test check lint format snapshots screenshots bench backup restore clean

$(VENV_STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

# The test tools from npm (axe-core, the Nu HTML Checker). Package scripts stay off: what we use
# ships ready to run.
node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

install: $(VENV_STAMP)

# Migrate, load the demo archive, print the admin log-in, serve on http://$(HOST):$(PORT)/.
run: demo
	$(PY) manage.py demo_editor --address $(HOST):$(PORT)
	$(PY) manage.py runserver $(HOST):$(PORT)

demo: install
	$(PY) scripts/ensure_database.py
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo

# Serve whatever the database holds with gunicorn; whitenoise serves the compressed, hashed
# static files. For production set DJANGO_ENV=production, DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS
# and DATABASE_URL (see docs/deployment.md).
WORKERS ?= 2
serve: install
	$(PY) scripts/ensure_database.py
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	GUNICORN_BIND=$(HOST):$(PORT) GUNICORN_WORKERS=$(WORKERS) $(VENV)/bin/gunicorn -c gunicorn.conf.py

test: install $(NPM_STAMP) check
	$(VENV)/bin/pytest $(PYTEST_ARGS)

check: install
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Rewrite tests/snapshots/ (the HTML each fragment renders, one file per case) from the fragments
# as they are; review the change with `git diff tests/snapshots` before committing it.
snapshots: install
	$(VENV)/bin/pytest tests/test_fragments.py -q --update-snapshots

# A PNG of each page type in docs/screenshots/, from the demo archive in a throwaway database.
screenshots: install
	$(PY) scripts/screenshots.py --out docs/screenshots

# Time the readers' pages on a 1,000,000-article archive (PostgreSQL; set DATABASE_URL) and
# write docs/performance.md. The archive is generated on the first run and reused after that.
bench: install
	$(PY) scripts/ensure_database.py
	$(PY) manage.py migrate --noinput
	$(PY) manage.py benchmark $(BENCH_ARGS)

# Back up the database DATABASE_URL names (default db.sqlite3) into backups/, or BACKUP=FILE.
backup: install
	PY=$(PY) scripts/backup.sh $(BACKUP)

# Restore BACKUP=FILE into the EMPTY database DATABASE_URL names (see docs/deployment.md).
restore: install
	@test -n "$(BACKUP)" || { echo "Usage: make restore BACKUP=FILE" >&2; exit 2; }
	PY=$(PY) scripts/restore.sh $(BACKUP)

# Load test with wrk (apt-get install wrk): gunicorn ($(WORKERS) workers, production settings) on
# a loopback port, 50 connections for 60 s over the benchmark's page mix, with the page cache off
# and then on. Set DATABASE_URL; LOADTEST_MODES="off" or "on" for one; see docs/deployment.md.
LOADTEST_MODES ?= off on
.PHONY: loadtest
loadtest: install
	PY=$(PY) WORKERS=$(WORKERS) scripts/loadtest.sh $(LOADTEST_MODES)

clean:
	rm -rf $(VENV) node_modules staticfiles
