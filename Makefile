# Two commands: `make run` serves the app, `make test` runs the whole suite.
# Both set up everything they need on a fresh machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# `make run DEMO=0` starts without the demo history (load_demo).
DEMO ?= 1
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | md5sum | cut -c1-12)

.PHONY: run test install browser lint check worker clean

$(STAMP): requirements.txt requirements-dev.txt
	@# psycopg2 builds from source: it needs pg_config (libpq-dev on Debian).
	@command -v pg_config >/dev/null || { apt-get update -qq && apt-get install -y -qq libpq-dev >/dev/null; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	rm -f $(VENV)/.installed-*; touch $@

install: $(STAMP) .env

# A development .env (never committed): DEBUG on and a random secret key, so that
# `python manage.py …` works in a checkout. Production sets its own environment.
.env:
	@printf 'DEBUG=true\nSECRET_KEY=%s\n' "$$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')" > $@
	@echo "Wrote a development .env (DEBUG=true, random SECRET_KEY)."

# Debian's Chromium for the browser tests (`playwright install` cannot download here).
browser:
	@test -x /usr/bin/chromium || { \
	  echo "Installing Chromium and CJK fonts for the browser tests..."; \
	  apt-get update -qq && apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; }

run: $(STAMP) .env
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_plan
	$(PY) manage.py create_demo_accounts
ifeq ($(DEMO),0)
	@echo "DEMO=0: skipping the demo history (load_demo)."
else
	@echo "Loading the demo history (load_demo: reports marked 【演示】, 2018H2-2020H2; make run DEMO=0 skips it)..."
	$(PY) manage.py load_demo
endif
	$(PY) manage.py ensure_schedules
	bin/run-all

test: $(STAMP) .env browser
	DJANGO_SETTINGS_MODULE=yangquan_tracker.settings.test $(PY) manage.py check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=yangquan_tracker.settings.test $(PY) manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=yangquan_tracker.settings.test $(PY) manage.py spectacular --fail-on-warn --validate --file /dev/null
	@# Production defaults (HTTPS, HSTS, secure cookies, CSP) must leave check --deploy silent.
	IGNORE_DOTENV=true DEBUG=false DJANGO_SETTINGS_MODULE=yangquan_tracker.settings.production SECRET_KEY="$$(head -c 48 /dev/urandom | base64 | tr -d '\n')" DATABASE_URL=sqlite://:memory: $(PY) manage.py check --deploy --fail-level WARNING
	$(VENV)/bin/ruff check .
	$(PY) -m pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

worker: $(STAMP)
	DJANGO_SETTINGS_MODULE=yangquan_tracker.settings.local $(VENV)/bin/celery -A yangquan_tracker worker --loglevel=info

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
