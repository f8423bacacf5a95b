# Two commands: `make run` serves the app, `make test` runs the whole suite.
# Both set up everything they need on a fresh machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | md5sum | cut -c1-12)

.PHONY: run test install browser lint check worker clean

$(STAMP): requirements.txt requirements-dev.txt
	@# psycopg2 builds from source: it needs pg_config (libpq-dev on Debian).
	@command -v pg_config >/dev/null || { apt-get update -qq && apt-get install -y -qq libpq-dev >/dev/null; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	rm -f $(VENV)/.installed-*; touch $@

install: $(STAMP)

# Debian's Chromium for the browser tests (`playwright install` cannot download here).
browser:
	@test -x /usr/bin/chromium || { \
	  echo "Installing Chromium and CJK fonts for the browser tests..."; \
	  apt-get update -qq && apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; }

run: $(STAMP)
	DEBUG=true $(PY) manage.py migrate --noinput
	DEBUG=true $(PY) manage.py load_plan
	DEBUG=true $(PY) manage.py create_demo_accounts
	DEBUG=true $(PY) manage.py runserver 127.0.0.1:8000

test: $(STAMP) browser
	DJANGO_SETTINGS_MODULE=yangquan_tracker.settings_test $(PY) manage.py check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=yangquan_tracker.settings_test $(PY) manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=yangquan_tracker.settings_test $(PY) manage.py spectacular --fail-on-warn --validate --file /dev/null
	$(VENV)/bin/ruff check .
	$(PY) -m pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

worker: $(STAMP)
	$(VENV)/bin/celery -A yangquan_tracker worker --loglevel=info

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
