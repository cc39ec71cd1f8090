# WNH Seats: `make demo` starts the portal with demo data; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

# The clocks `make test-clocks` runs the suite under (tests/support/clock.py): a Monday morning, a
# Thursday evening after the centres close, and a Sunday, all Asia/Kolkata.
TEST_CLOCKS ?= 2026-12-07T09:00 2026-12-10T20:30 2026-12-13T11:00

.PHONY: demo test test-clocks install setup messages worker lint format imports bench bench-http fault-round e2e-browser ops-tools clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when a requirements file changes.
$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

# Compiled translations (.mo files are built, not committed). Needs gettext's msgfmt.
# Compiling needs no production settings, so it runs on the development ones everywhere.
messages: install
	@if ! command -v msgfmt >/dev/null; then \
		echo "gettext is not installed: pages stay in English (apt-get install gettext)"; \
	elif [ -d locale ]; then \
		DJANGO_DEBUG=true $(BIN)/python manage.py compilemessages --ignore=.venv -v0; fi

# Database tables, translations, the K-DISC group, the static files: what every start
# needs, production's too (with DJANGO_DEBUG=false, whitenoise serves the collected files).
setup: messages
	mkdir -p "$${WNH_VAR_DIR:-var}"
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py setup_schedules
	$(BIN)/python manage.py collectstatic --noinput -v0

# The demo runs in debug mode on the development key (production never does: see README).
demo: export DJANGO_DEBUG = true
demo: setup
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py rundemo --host $(HOST) --port $(PORT)

# The suite runs in parallel (pytest-xdist): one process per core, at most two (CI has two),
# each on a test database (_gw0, _gw1) and a Redis database of its own (tests/conftest.py);
# a lock keeps the stack tests' fixed ports to one at a time. --dist load hands each process
# the next tests in the suite's order, so browser tests still come last in each.
# `make test XDIST=` runs the suite in this one process. On SQLite (no DATABASE_URL) the
# browser tests run after the rest, in one process: there a browser journey's seat map missed
# its day change in 2 of 3 CI runs with two workers' live servers on their database files.
XDIST ?= -n auto --maxprocesses=2 --dist load

# pyproject.toml sets DJANGO_DEBUG=true for pytest (pytest-env). On SQLite the second run
# may find no browser test among PYTEST_ARGS' (pytest's 5): that is no failure.
test: messages
ifneq ($(DATABASE_URL),)
	$(BIN)/python -m pytest $(XDIST) $(PYTEST_ARGS)
else
	$(BIN)/python -m pytest $(XDIST) -m "not e2e" $(PYTEST_ARGS)
	$(BIN)/python -m pytest -m e2e $(PYTEST_ARGS) || [ $$? -eq 5 ]
endif

# The whole suite again under each of TEST_CLOCKS: no test may lean on a weekday or an hour.
test-clocks: messages
	@for now in $(TEST_CLOCKS); do \
		echo "== the suite at $$now (WNH_TEST_NOW)"; \
		WNH_TEST_NOW=$$now $(MAKE) --no-print-directory test PYTEST_ARGS="-q $(PYTEST_ARGS)" || exit 1; \
	done

worker: install
	$(BIN)/celery -A wnh worker -B --scheduler django_celery_beat.schedulers:DatabaseScheduler --loglevel INFO

# On PostgreSQL (DATABASE_URL): the occupancy rollup over a million bookings, then the
# evening booking rush. Both leave the database as they found it. A development tool.
bench: export DJANGO_DEBUG = true
bench: setup
	$(BIN)/python manage.py bench $(BENCH_ARGS)
	$(BIN)/python manage.py bench_rush $(RUSH_ARGS)
	$(MAKE) bench-http

# Over HTTP (bench/README.md): the portal under gunicorn (DEBUG off, 2 sync workers) and a bare
# Django app, driven by wrk on 127.0.0.1, on the wnh_bench_* databases (made and loaded once).
# Knobs: SIZES (small,kerala), DURATION (15), WARMUP (3), CONNS (32); wrk must be installed.
bench-http: install messages
	SIZES="$(SIZES)" DURATION="$(DURATION)" WARMUP="$(WARMUP)" CONNS="$(CONNS)" \
		$(BIN)/python -m bench.http run $(BENCH_HTTP_ARGS)

# The PostgreSQL-restart round (docs/fault-round.md): the stack of tests/deploy/stack.py (nginx,
# two gunicorn processes, PgBouncer, Redis, the workers), CLIENTS people booking SEATS seats at
# once through nginx, and the machine's PostgreSQL cluster restarted once mid-round
# (pg_ctlcluster, as root: every session on that server drops). Needs DATABASE_URL=postgres://
# of that server, on which it makes the database FAULT_DB afresh; nginx, PgBouncer (make
# ops-tools) and redis-server. Knobs: CLIENTS (2000), SEATS (40), RAMP (20: seconds over which
# the clients start; 0, all at once), RESTART_AFTER (bookings answered before the restart;
# SEATS/4), JOINERS (100: the first refused join the waitlist),
# CANCELS (5: bookings cancelled afterwards, so seats are offered), CLIENT_TIMEOUT (30 s),
# DEADLINE (180 s of retrying), FAULT_DB (wnh_fault), FAULT_PORTS (8380: nginx; web,
# PgBouncer, Redis on the next four), PG_CLUSTER (version/name; default the only one) and
# HOLD_FILE (no restart while it exists: a benchmark measuring on that server).
CLIENTS ?= 2000
SEATS ?= 40
fault-round: install messages
ifeq ($(DATABASE_URL),)
	$(error make fault-round needs DATABASE_URL=postgres://... (the server it restarts))
endif
	$(BIN)/python -m tests.deploy.fault_round --clients $(CLIENTS) --seats $(SEATS) \
		$(if $(RAMP),--ramp $(RAMP)) $(if $(RESTART_AFTER),--restart-after $(RESTART_AFTER)) \
		$(if $(JOINERS),--joiners $(JOINERS)) $(if $(CANCELS),--cancels $(CANCELS)) \
		$(if $(CLIENT_TIMEOUT),--timeout $(CLIENT_TIMEOUT)) $(if $(DEADLINE),--deadline $(DEADLINE)) \
		$(if $(FAULT_DB),--database $(FAULT_DB)) $(if $(FAULT_PORTS),--port-base $(FAULT_PORTS)) \
		$(if $(PG_CLUSTER),--cluster $(PG_CLUSTER)) $(if $(HOLD_FILE),--hold-file $(HOLD_FILE))

# ruff, then the apps' layers (import-linter contracts in pyproject.toml).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# Which app imports which, and any circle between the modules of one app.
imports: install
	$(BIN)/python scripts/import_graph.py

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Debian's Chromium for the browser tests (Playwright's own download cannot work here),
# gettext for the translations, and a Malayalam font so screenshots show the script.
e2e-browser:
	@command -v chromium >/dev/null && command -v msgfmt >/dev/null \
		&& [ -d /usr/share/fonts/opentype/malayalam ] || \
		(apt-get update -q && apt-get install -y -q chromium gettext fonts-smc-manjari)

# Debian's nginx and PgBouncer for tests/deploy/test_stack.py, which runs the Compose file's load
# balancer and pooler as its own processes, and wrk for the HTTP bench's smoke test
# (tests/bench). Installing must not start them as services.
ops-tools:
	@command -v nginx >/dev/null && command -v pgbouncer >/dev/null && command -v wrk >/dev/null || ( \
		no_start=$$([ -e /usr/sbin/policy-rc.d ] || echo yes); \
		[ -z "$$no_start" ] || printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; \
		[ -z "$$no_start" ] || chmod +x /usr/sbin/policy-rc.d; \
		apt-get update -q && apt-get install -y -q nginx pgbouncer wrk; status=$$?; \
		[ -z "$$no_start" ] || rm -f /usr/sbin/policy-rc.d; exit $$status)

clean:
	rm -rf var staticfiles
