# IGN Portal. `make run` serves the 71st session on SQLite; `make test` runs the tests.
.DEFAULT_GOAL := help
SHELL := /bin/bash

VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
ARGS ?=
STAMP := $(VENV)/.installed
# The tests run in this many processes (pytest-xdist); 0 runs them in this one.
TEST_WORKERS ?= 2
# The collected static files (hashed, compressed) the tests serve, remade when a source
# changes: collecting costs about 20 s of CPU.
STATIC_MANIFEST := staticfiles/staticfiles.json

# Settings for local use: DEBUG on, SQLite, console e-mail, no other service.
LOCAL_ENV := DJANGO_DEBUG=1
# The tests run in production posture, but over plain HTTP.
TEST_ENV := DJANGO_SECRET_KEY=test-only-secret-key-not-for-any-deployment DJANGO_SECURE_SSL_REDIRECT=0
# The production-like server on loopback: DEBUG off, plain HTTP.
SERVE_ENV := DJANGO_DEBUG=0 DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_SECURE_COOKIES=0 DJANGO_HSTS_SECONDS=0

.PHONY: help venv setup-data run serve test admin lint clean

help:
	@echo "make run    - set up and serve the portal with the 71st session (SQLite, DEBUG), with a task worker"
	@echo "make test   - set up and run the whole test suite"
	@echo "make serve  - the production-like server (gunicorn, DEBUG off, WhiteNoise)"
	@echo "make admin  - create a superuser"
	@echo "make lint   - ruff and the import contracts (import-linter)"

$(STAMP): pyproject.toml
	@py=""; for c in python3.13 python3.12 python3; do \
	  if command -v $$c >/dev/null 2>&1 && $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then py=$$c; break; fi; \
	done; \
	if [ -z "$$py" ]; then echo "IGN Portal needs Python 3.12 or newer, and none was found (tried python3.13, python3.12, python3)." >&2; exit 1; fi; \
	if [ ! -x $(PY) ]; then echo "Creating $(VENV) with $$($$py --version)"; $$py -m venv $(VENV); fi
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet ".[dev]"
	@touch $(STAMP)

venv: $(STAMP)

setup-data: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py create_groups
	$(PY) manage.py load_ign71

# A task worker runs beside the server (distribution of letters, other background work) and
# stops with it.
run: $(STAMP)
	$(LOCAL_ENV) $(MAKE) --no-print-directory setup-data
	@$(LOCAL_ENV) $(PY) manage.py db_worker --queue-name default,distribution --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	$(LOCAL_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

.env:
	@echo "Writing .env with a new local DJANGO_SECRET_KEY"
	@printf 'DJANGO_SECRET_KEY=%s\n' "$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" > .env

serve: $(STAMP) .env
	$(SERVE_ENV) $(MAKE) --no-print-directory setup-data
	$(SERVE_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0
	$(SERVE_ENV) $(VENV)/bin/gunicorn ign_portal.wsgi --bind 127.0.0.1:$(PORT) --workers $${WEB_CONCURRENCY:-3} --access-logfile -

admin: $(STAMP)
	$(LOCAL_ENV) $(PY) manage.py createsuperuser

$(STATIC_MANIFEST): $(STAMP) ign_portal/settings.py $(shell find static -type f 2>/dev/null)
	$(TEST_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0

test: $(STAMP) $(STATIC_MANIFEST)
	$(TEST_ENV) $(VENV)/bin/pytest -n $(TEST_WORKERS) $(ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
