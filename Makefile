# The README's two commands: `make demo` (serve the demo county) and `make test` (the whole suite).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_ENV := DJANGO_DEBUG=1
APT_PACKAGES := gettext chromium fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0

.PHONY: demo demo-reset test install system-packages services lint bench

# The demo county on its own embedded PostgreSQL, data in .demo/ (gongyi/demoserver.py); with
# DATABASE_URL set, on that database instead. A second run keeps the data; demo-reset deletes it.
demo: install
	$(DEMO_ENV) $(BIN)/python -m gongyi.demoserver

demo-reset: install
	$(DEMO_ENV) $(BIN)/python -m gongyi.demoserver --reset

test: install services
	$(BIN)/python -m pytest $(PYTEST_ARGS)

install: system-packages $(VENV)/.installed
	$(DEMO_ENV) $(BIN)/python manage.py compilemessages --ignore=.venv -v0

$(VENV)/.installed: requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	touch $@

# Debian packages: msgfmt for the catalogue, Chromium and CJK fonts for the browser tests, Pango
# and HarfBuzz for WeasyPrint's PDFs (the fonts serve them too).
system-packages:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

# PostgreSQL and Redis on localhost: start them if they are installed but stopped.
services:
	@pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	@redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
	@for i in $$(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
	@pg_isready -h 127.0.0.1 -p 5432

lint: install
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

bench: install services
	$(BIN)/python -m bench
