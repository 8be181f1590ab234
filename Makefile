# The two commands a user types: `make run` and `make test`. Everything else is set up from here.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SYSTEM_PACKAGES := fonts-noto-cjk libharfbuzz-subset0 chromium
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run prod test bench bench-scale screenshots lint setup system-packages env migrate clean

run: setup migrate
	$(PY) manage.py seed_demo --if-empty
	@echo ""
	@echo "打开 http://$(HOST):$(PORT)/ 用上面的演示账户登录（Ctrl+C 停止）。"
	$(PY) manage.py runserver $(HOST):$(PORT)

# The site as production runs it (gunicorn, Celery worker on Redis, PostgreSQL, DEBUG off):
# deploy/serve-production; the recipe for a real host is in docs/operations.md.
prod: setup
	deploy/serve-production

test: setup
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	DJANGO_ENV=production SECRET_KEY=ci-check-$$RANDOM-not-a-real-secret-key-0123456789abcdefghij \
	  ID_HASH_KEY=ci-check DATABASE_URL=sqlite:///:memory: ALLOWED_HOSTS=guanai.example \
	  CELERY_BROKER_URL=redis://127.0.0.1:6379/0 \
	  $(PY) manage.py check --deploy --fail-level WARNING
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest -q $(PYTEST_ARGS)

# Benchmarks measure the production database: the local PostgreSQL when it runs (a guanai_bench
# database is created), else DATABASE_URL must point at one.
BENCH_DB := postgres://postgres@127.0.0.1:5432
BENCH ?= tests/benchmarks
# The province-scale bounds (issue 15 §3) measure a persistent database of their own (guanai_scale), kept
# between runs, apart from the other benchmarks' throwaway test database.
SCALE_BENCH := tests/benchmarks/test_scale_pages.py

bench: setup
	@if [ -z "$$DATABASE_URL" ] && command -v pg_isready >/dev/null && pg_isready -h 127.0.0.1 -q; then \
	  psql "$(BENCH_DB)/postgres" -qc "CREATE DATABASE guanai_bench" 2>/dev/null || true; \
	  export DATABASE_URL="$(BENCH_DB)/guanai_bench"; \
	fi; \
	echo "benchmarks on $${DATABASE_URL:-SQLite}"; \
	$(VENV)/bin/pytest -q $(BENCH) --ignore=$(SCALE_BENCH) -o addopts="" $(PYTEST_ARGS)
	@if [ "$(BENCH)" = "tests/benchmarks" ]; then $(MAKE) --no-print-directory bench-scale; fi

bench-scale: setup
	@if [ -z "$$DATABASE_URL" ] && command -v pg_isready >/dev/null && pg_isready -h 127.0.0.1 -q; then \
	  psql "$(BENCH_DB)/postgres" -qc "CREATE DATABASE guanai_scale" 2>/dev/null || true; \
	  export DATABASE_URL="$(BENCH_DB)/guanai_scale"; \
	fi; \
	echo "province-scale bounds on $${DATABASE_URL:-SQLite}"; \
	$(PY) manage.py migrate --noinput -v0 && \
	$(VENV)/bin/pytest -q $(SCALE_BENCH) -o addopts="-p no:cacheprovider" $(PYTEST_ARGS)

# The user guide's pictures (docs/user-guide.md), taken by the browser suite on the demo province.
screenshots: setup
	SCREENSHOT_DIR=docs/user-guide $(VENV)/bin/pytest -q tests/e2e/test_user_guide.py

lint: setup
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

setup: system-packages $(STAMP) env

system-packages:
	@missing=""; for p in $(SYSTEM_PACKAGES); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    echo "Installing system packages:$$missing"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing) >/dev/null \
	      || { echo "apt-get failed: install$$missing by hand."; exit 1; }; \
	  else \
	    echo "Missing system packages:$$missing"; \
	    echo "Install them as root:  sudo apt-get install -y$$missing"; \
	    echo "(Chinese PDFs need fonts-noto-cjk and libharfbuzz-subset0; browser tests need chromium.)"; \
	  fi; \
	fi

$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --require-hashes -r requirements.lock
	touch $(STAMP)

# A local .env with random keys, made once; production sets real values in the environment.
env:
	@mkdir -p var/staticfiles var/media
	@test -f .env || { \
	  echo "SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" > .env; \
	  echo "ID_HASH_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(32))')" >> .env; \
	  echo "Created .env with random development keys."; }

migrate: setup
	$(PY) manage.py migrate --noinput

clean:
	rm -rf $(VENV) db.sqlite3 var
