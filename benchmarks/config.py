# ruff: noqa: S603 - runs this interpreter on our own modules.
"""What every part of `make bench` shares: the checkout, the database, the production environment.

Knobs, all optional: BENCH_DATABASE_URL (default: SQLite in benchmarks/bench.sqlite3),
BENCH_SECONDS (each wrk run, at most 10), WEB_CONCURRENCY (gunicorn workers); the data set's sizes
are in dataset.py, the number of in-process requests in inprocess.py.
"""

import json
import os
import secrets
import subprocess
import sys
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{ROOT / 'benchmarks' / 'bench.sqlite3'}"
POSTGRES = DATABASE_URL.startswith(("postgres://", "postgresql://"))
KIND = "postgresql" if POSTGRES else "sqlite"
SECONDS = min(int(os.environ.get("BENCH_SECONDS", "5")), 10)
WORKERS = int(os.environ.get("WEB_CONCURRENCY") or min(8, 2 * (os.cpu_count() or 1) + 1))

# The production settings as `make serve` has them, on this database, plus the minimal view
# (benchmarks/settings.py). Every process of the benchmark runs with these.
ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
    "DATABASE_URL": DATABASE_URL,
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "SECURE_SSL_REDIRECT": "false",
    "SERVE_MEDIA": "true",
    # The posting benchmark is one address posting fast: no rate limit, no minimum typing time.
    "COMMENTS_RATE_LIMIT": "1000000/60",
    "COMMENTS_MIN_SECONDS": "0",
    "LOG_LEVEL": "ERROR",
}
ENV.pop("REDIS_URL", None)


def setup_django():
    """This process on the benchmark's settings and database."""
    os.environ.update(ENV)
    import django

    django.setup()


def sqlite_path():
    return Path(DATABASE_URL.removeprefix("sqlite:///").removeprefix("sqlite://"))


def database_label():
    if POSTGRES:
        parts = urllib.parse.urlsplit(DATABASE_URL)
        return f"PostgreSQL, database `{parts.path.lstrip('/')}` on {parts.hostname}:{parts.port or 5432}"
    path = sqlite_path()
    return f"SQLite, `{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name}`"


def run_module(module, payload):
    """`python -m module` in a process of its own with ENV, `payload` as JSON on its standard
    input; its answer is the JSON on the last line it prints."""
    out = subprocess.run(
        [PY, "-m", module],
        cwd=ROOT,
        env=ENV,
        input=json.dumps(payload),
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def module_main(function):
    """The other end of run_module(): `function(payload)`'s answer, printed as JSON."""
    setup_django()
    print(json.dumps(function(json.load(sys.stdin))))
