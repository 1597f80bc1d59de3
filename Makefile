# IGN Portal. `make run` serves the 71st session on SQLite; `make test` runs the tests.
.DEFAULT_GOAL := help
SHELL := /bin/bash

VENV ?= .venv
PY := $(VENV)/bin/python
# The port make run / make serve serve on, recorded in their settings file with SITE_URL.
PORT ?= 8000
ARGS ?=
STAMP := $(VENV)/.installed
# The tests run in this many processes (pytest-xdist); 0 runs them in this one.
TEST_WORKERS ?= 2
# The collected static files (hashed, compressed) the tests serve, remade when a source
# changes: collecting costs about 20 s of CPU.
STATIC_MANIFEST := staticfiles/staticfiles.json

# Every process reads one settings file (IGN_ENV_FILE; ign_portal/localenv.py writes it):
# .env, for development (DEBUG on, SQLite, console e-mail), read by `make run` and by every
# `.venv/bin/python manage.py ...` command; .env.serve, production-like on loopback (DEBUG off,
# plain HTTP), read only by what `make serve` starts (or a command given IGN_ENV_FILE=.env.serve).
# Writes the file the first time, records PORT/DATABASE_URL/EMAIL_URL given, prints the port.
LOCALENV = $(PY) -m ign_portal.localenv
# The tests read no settings file: production posture, but over plain HTTP.
TEST_ENV := IGN_ENV_FILE= DJANGO_SECRET_KEY=test-only-secret-key-not-for-any-deployment DJANGO_SECURE_SSL_REDIRECT=0
# make serve runs Debian's nginx in front of gunicorn (ign_portal/serving.py says why), as this
# user, with a configuration it writes into a runtime directory of its own.
NGINX ?= $(shell command -v nginx 2>/dev/null || echo /usr/sbin/nginx)
# make serve's gunicorn: this many threads in each of $WEB_CONCURRENCY (3) processes.
THREADS ?= 4
# One task worker beside the server (distribution of letters, other background work); it
# outlives a database restart and sweeps stale task rows (docs/operations.md).
WORKER = $(PY) manage.py task_worker --queue-name default,distribution

# The interface's message catalogs, one per official language other than English, compiled
# with Babel (no GNU gettext needed to run the portal); `make messages` (GNU gettext) gathers
# new strings into them.
PO_FILES := $(wildcard locale/*/LC_MESSAGES/django.po)
MO_FILES := $(PO_FILES:.po=.mo)
CATALOG_LOCALES := ar zh_Hans fr ru es

.PHONY: help venv setup-data env run serve test admin manage lint messages catalogs clean

help:
	@echo "make run    - set up and serve the portal with the 71st session, with a task worker;"
	@echo "              writes .env (development: DEBUG on, SQLite, console e-mail) the first time"
	@echo "              PORT=8001 make run: another port (recorded in .env with SITE_URL)"
	@echo "make env    - only write .env (or record PORT=... in it), as make run does first"
	@echo "make manage ARGS=\"...\" - a manage.py command with the settings of .env (as make run)"
	@echo "make test   - set up and run the whole test suite (reads no .env)"
	@echo "make serve  - the production-like server (nginx in front of gunicorn, DEBUG off, WhiteNoise)"
	@echo "              and a task worker; its own settings in .env.serve; needs nginx (apt)"
	@echo "make admin  - create a superuser (make manage ARGS=createsuperuser); at its first"
	@echo "              sign-in it is taken to add its second factor"
	@echo "make lint   - ruff and the import contracts (import-linter)"
	@echo "make messages - gather the strings marked for translation into locale/ (needs GNU gettext)"

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

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po $(STAMP)
	@$(VENV)/bin/pybabel -q compile --domain django --locale $* --input-file $< --output-file $@

catalogs: $(MO_FILES)

messages: $(STAMP)
	$(TEST_ENV) $(PY) manage.py makemessages $(addprefix --locale ,$(CATALOG_LOCALES)) --no-obsolete \
	  --add-location file --ignore '.venv/*' --ignore 'staticfiles/*' --ignore 'tests/*' \
	  --ignore 'bench/*' --ignore 'build/*'

setup-data: $(STAMP) $(MO_FILES)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py create_groups
	$(PY) manage.py load_ign71

# A task worker runs beside the server (distribution of letters, other background work) and
# stops with it. Both, and every step before them, read .env.
run: $(STAMP)
	@port=$$($(LOCALENV) .env development --port "$(PORT)") || exit 1; \
	export IGN_ENV_FILE=.env; \
	$(MAKE) --no-print-directory setup-data || exit 1; \
	$(WORKER) & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	$(PY) manage.py runserver 127.0.0.1:$$port

# Production-like, on its own database: nginx in front of gunicorn's threaded workers (over a
# Unix socket in a private runtime directory, removed at exit) and a task worker, all reading
# .env.serve, never .env. Whichever of nginx and gunicorn stops first stops the others.
serve: $(STAMP) $(MO_FILES)
	@port=$$($(LOCALENV) .env.serve serve --port "$(PORT)") || exit 1; \
	export IGN_ENV_FILE=.env.serve; \
	if [ ! -x "$(NGINX)" ]; then \
	  echo "make serve runs nginx in front of gunicorn, and none was found: apt-get install nginx (or NGINX=/path/to/nginx)" >&2; exit 1; \
	fi; \
	$(MAKE) --no-print-directory setup-data || exit 1; \
	$(PY) manage.py collectstatic --noinput --verbosity 0 || exit 1; \
	run=$$(mktemp -d "$${TMPDIR:-/tmp}/ign-serve.XXXXXX") || exit 1; \
	trap 'kill $$proxy $$app $$worker 2>/dev/null; wait $$proxy $$app $$worker 2>/dev/null; rm -rf "$$run"' EXIT; \
	$(PY) -m ign_portal.serving "$$run" --port "$$port" >/dev/null || exit 1; \
	$(WORKER) & worker=$$!; \
	$(VENV)/bin/gunicorn ign_portal.wsgi --bind "unix:$$run/gunicorn.sock" --worker-class gthread \
	  --workers $${WEB_CONCURRENCY:-3} --threads $(THREADS) --timeout 30 --graceful-timeout 20 \
	  --control-socket "$$run/gunicorn.ctl" & app=$$!; \
	for _ in $$(seq 300); do [ -S "$$run/gunicorn.sock" ] || ! kill -0 $$app 2>/dev/null && break; sleep 0.1; done; \
	"$(NGINX)" -e stderr -p "$$run" -c "$$run/nginx.conf" & proxy=$$!; \
	echo "Serving http://127.0.0.1:$$port/ (nginx in front of gunicorn, configuration in $$run)"; \
	wait -n $$proxy $$app

# Writes .env (development) the first time, or records the PORT given: what make run does first.
env: $(STAMP)
	@$(LOCALENV) .env development --port "$(PORT)" >/dev/null

# A manage.py command with the development settings of .env (written the first time), or
# with the file IGN_ENV_FILE names: make manage ARGS="distribute_letter <slug>".
manage: $(STAMP)
	@if [ -z "$${IGN_ENV_FILE+set}" ]; then $(LOCALENV) .env development >/dev/null || exit 1; fi; \
	IGN_ENV_FILE=$${IGN_ENV_FILE-.env} $(PY) manage.py $(ARGS)

admin: $(STAMP)
	@$(MAKE) --no-print-directory manage ARGS="createsuperuser $(ARGS)"

$(STATIC_MANIFEST): $(STAMP) ign_portal/settings.py $(shell find static -type f 2>/dev/null)
	$(TEST_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0

test: $(STAMP) $(STATIC_MANIFEST) $(MO_FILES)
	$(TEST_ENV) $(VENV)/bin/pytest -n $(TEST_WORKERS) $(ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

clean:
	rm -rf $(VENV) staticfiles .pytest_cache $(MO_FILES)
