"""Faults on real services: gunicorn app servers, PostgreSQL and Redis on this machine (127.0.0.1).

These tests start their own app servers (production settings, DEBUG off) on free ports, against a
database of their own (nr_faults) and Redis database 5. They restart PostgreSQL and stop Redis on
purpose, so they run only when asked for (`make test-faults`, i.e. `pytest -m faults`), only as
root, and only where both services are installed and running. Whatever happens, PostgreSQL and
Redis are started again before a test ends.

Readers and posters are plain HTTP clients (requests). A poster sends what a browser sends: a CSRF
cookie with the same value in the form (Django accepts an unmasked 32-character secret), and the
comment form's signed timestamp, made with the servers' SECRET_KEY.
"""

import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import string
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.core import signing

pytestmark = pytest.mark.faults

ROOT = Path(settings.BASE_DIR)
BIN = Path(sys.executable).parent
DB_NAME = "nr_faults"
PG_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
REDIS_DB = 5
REDIS_URL = f"redis://127.0.0.1:6379/{REDIS_DB}"
REDIS_START = [
    "redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1", "--port", "6379",
    "--save", "", "--appendonly", "no", "--dir", "/var/lib/redis", "--logfile", "/var/log/redis/ci.log",
]  # fmt: skip
SECRET_KEY = secrets.token_urlsafe(50)
SOCKET_TIMEOUT = 0.5  # settings.CACHES: Redis socket timeouts
BACK_WITHIN = 5.0  # seconds after a service is back by which every request must succeed again
REQUEST_TIMEOUT = 30
FIGURES = {}  # measured numbers, printed at the end of the session (-s) and in the test's output


def _pg_version():
    versions = sorted(os.listdir("/etc/postgresql"), key=lambda v: [int(p) for p in v.split(".")])
    return versions[-1]


def _run(command, **kwargs):
    return subprocess.run(command, capture_output=True, text=True, timeout=120, **kwargs)  # noqa: S603


def pg_ready():
    return _run(["pg_isready", "-h", "127.0.0.1", "-p", "5432", "-q"]).returncode == 0


def redis_ready():
    try:
        return _run(["redis-cli", "-p", "6379", "ping"]).stdout.strip() == "PONG"
    except subprocess.TimeoutExpired:
        return False


def _why_not():
    if os.geteuid() != 0:
        return "fault tests restart PostgreSQL and Redis: run them as root"
    for tool in ("pg_ctlcluster", "pg_isready", "redis-server", "redis-cli"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed"
    if not os.path.isdir("/etc/postgresql") or not os.listdir("/etc/postgresql"):
        return "no PostgreSQL cluster in /etc/postgresql"
    if not pg_ready():
        return "PostgreSQL is not running on 127.0.0.1:5432"
    if not redis_ready():
        return "Redis is not running on 127.0.0.1:6379"
    return None


if (_reason := _why_not()) is not None:
    pytestmark = [pytest.mark.faults, pytest.mark.skip(reason=_reason)]


def wait_for(check, timeout, interval=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(interval)
    return False


def ensure_services():
    """PostgreSQL and Redis up again, whatever a test did to them."""
    if not pg_ready():
        _run(["pg_ctlcluster", "--skip-systemctl-redirect", _pg_version(), "main", "start"])
        wait_for(pg_ready, 30, 0.5)
    if not redis_ready():
        _run(REDIS_START)
        wait_for(redis_ready, 10)


def server_env(**extra):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_", "REDIS_", "COMMENTS_", "DJANGO_", "PYTEST"))
    }
    env.update(
        DATABASE_URL=PG_URL,
        REDIS_URL=REDIS_URL,
        DEBUG="false",
        SECRET_KEY=SECRET_KEY,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        SERVE_MEDIA="true",
        STATIC_ROOT=str(extra.pop("static_root")),
        MEDIA_ROOT=str(extra.pop("media_root")),
        TRUSTED_PROXY_COUNT="1",  # posters say who they are in X-Forwarded-For
        COMMENTS_RATE_LIMIT="100000/60",
        COMMENTS_MIN_SECONDS="0",
        CONN_MAX_AGE="60",
        LOG_LEVEL="ERROR",
    )
    env.update({key: str(value) for key, value in extra.items()})
    return env


def manage(env, *args, code=None):
    command = [sys.executable, "manage.py", *args]
    if code is not None:
        command += ["-c", code]
    result = _run(command, cwd=ROOT, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Served:
    """A server process of the tests' own, in a session of its own (so stopping it stops what it
    started): started, then waited for until `url` answers 200."""

    def start(self, command, url, log, wait=30, **popen):
        self.url, self.log = url, log
        self.process = subprocess.Popen(command, start_new_session=True, **popen)  # noqa: S603
        if not wait_for(self._answers, wait, 0.1):
            self.stop()
            raise AssertionError(f"{Path(command[0]).name} did not start:\n{log.read_text()[-3000:]}")

    def _answers(self):
        try:
            return requests.get(self.url, timeout=2).status_code == 200
        except requests.RequestException:
            return False

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(5)


class AppServer(Served):
    """gunicorn serving newsroom on a free port."""

    def __init__(self, env, log_dir, workers=4):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        command = [
            str(BIN / "gunicorn"), "newsroom.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
            "--workers", str(workers), "--timeout", "30", "--graceful-timeout", "3",
        ]  # fmt: skip
        log = Path(log_dir) / f"gunicorn-{self.port}.log"
        with open(log, "wb") as output:
            self.start(
                command, self.base + "/", log, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
            )


def db_query(sql, params=()):
    import psycopg

    with psycopg.connect(PG_URL, connect_timeout=5) as connection:
        return connection.execute(sql, params).fetchall()


def comment_bodies(article_id):
    return {
        row[0] for row in db_query("SELECT body FROM comments_comment WHERE article_id = %s", [article_id])
    }


ARTICLE_CODE = """
import json
from articles.models import Article, Section
from django.utils import timezone
from datetime import timedelta
section, _ = Section.objects.get_or_create(slug="faults", defaults={"name": "Faults"})
made = []
for n in range(%(count)d):
    article = Article.objects.create(
        headline=f"Fault story %(tag)s {n}", section=section, lead="Lead.", body="Body.",
        status="published", published_at=timezone.now() - timedelta(hours=1),
    )
    made.append({"id": article.pk, "url": article.get_absolute_url(), "section": section.get_absolute_url()})
print(json.dumps(made))
"""


@pytest.fixture(scope="module", autouse=True)
def asked_for(request):
    # `-m "not browser"` replaces pyproject's `-m "not faults"`: never restart services by surprise.
    expression = request.config.getoption("markexpr") or ""
    if "faults" not in expression.replace("not faults", ""):
        pytest.skip("fault tests run only when asked for: make test-faults (pytest -m faults)")


@pytest.fixture(scope="module")
def world(asked_for, tmp_path_factory):
    """A fresh nr_faults database, migrated; static files collected; Redis database 5 empty."""
    import psycopg

    ensure_services()
    base = tmp_path_factory.mktemp("faults")
    paths = {"static_root": base / "static", "media_root": base / "media"}
    with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {DB_NAME}")
    _run(["redis-cli", "-p", "6379", "-n", str(REDIS_DB), "flushdb"])
    env = server_env(**paths)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    return {"base": base, "paths": paths, "env": env}


def make_articles(world, count, tag):
    output = manage(world["env"], "shell", code=ARTICLE_CODE % {"count": count, "tag": tag})
    return json.loads(output.strip().splitlines()[-1])  # the shell may print other lines first


@pytest.fixture(scope="module")
def server(world):
    app = AppServer(world["env"], world["base"])
    yield app
    app.stop()


def form_token(article_id):
    # comments.forms.make_token, signed with the servers' key: issued ten seconds ago.
    return signing.dumps({"a": article_id, "t": int(time.time()) - 10}, key=SECRET_KEY, salt="comments.form")


def post(base, article_id, body, ip, name="Poster", origin=None):
    csrf = "".join(random.choices(string.ascii_letters + string.digits, k=32))  # noqa: S311
    data = {
        "csrfmiddlewaretoken": csrf,
        "name": name,
        "email": f"{name.lower().replace(' ', '.')}@example.com",
        "body": body,
        "website": "",
        "token": form_token(article_id),
    }
    headers = {"Cookie": f"csrftoken={csrf}", "X-Forwarded-For": ip}
    if origin:  # behind nginx the request is https (X-Forwarded-Proto): Django checks the Origin
        headers["Origin"] = origin
    return requests.post(
        f"{base}/comments/{article_id}/post/",
        data=data,
        headers=headers,
        allow_redirects=False,
        timeout=REQUEST_TIMEOUT,
    )


def timed_get(url, timeout=REQUEST_TIMEOUT):
    start = time.monotonic()
    try:
        status = requests.get(url, timeout=timeout).status_code
    except requests.RequestException:
        status = 0
    return start, time.monotonic(), status


def record(name, value):
    FIGURES[name] = value
    print(f"FIGURE {name}: {value}")


# (a) Many posters at once


def test_fifty_parallel_posters_make_exactly_1000_comments(world, server):
    (article,) = make_articles(world, 1, "parallel")
    posters, each = 50, 20

    def poster(n):
        statuses = []
        for i in range(each):
            body = f"Poster {n}, comment {i}: {secrets.token_hex(4)}"
            statuses.append(
                post(server.base, article["id"], body, f"198.51.100.{n + 1}", f"Poster {n}").status_code
            )
        return statuses

    start = time.monotonic()
    with ThreadPoolExecutor(posters) as pool:
        statuses = [status for result in pool.map(poster, range(posters)) for status in result]
    elapsed = time.monotonic() - start

    record("parallel posting", f"{len(statuses)} posts by {posters} posters in {elapsed:.1f} s")
    assert not [status for status in statuses if status >= 500]
    assert statuses.count(302) == posters * each
    assert len(comment_bodies(article["id"])) == 1000
    count = db_query("SELECT comment_count FROM articles_article WHERE id = %s", [article["id"]])[0][0]
    assert count == 1000


# Traffic that keeps going while a service is taken away


class Traffic:
    """Readers and posters in threads, each request noted as (start, end, kind, status, body)."""

    def __init__(self, base, article, readers=4, posters=3):
        self.base, self.article = base, article
        self.stop_event = threading.Event()
        self.log = []
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self._read, args=(n,)) for n in range(readers)]
        self.threads += [threading.Thread(target=self._post, args=(n,)) for n in range(posters)]

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop_event.set()
        for thread in self.threads:
            thread.join(REQUEST_TIMEOUT + 5)

    def _note(self, *entry):
        with self.lock:
            self.log.append(entry)

    def _read(self, n):
        pages = [self.article["url"], "/", self.article["section"]]
        i = 0
        while not self.stop_event.is_set():
            start, end, status = timed_get(self.base + pages[i % len(pages)], timeout=10)
            self._note(start, end, "read", status, None)
            i += 1
            time.sleep(0.02)

    def _post(self, n):
        i = 0
        while not self.stop_event.is_set():
            body = f"Steady poster {n}, comment {i}: {secrets.token_hex(4)}"
            start = time.monotonic()
            try:
                status = post(
                    self.base, self.article["id"], body, f"203.0.113.{n + 1}", f"Steady {n}"
                ).status_code
            except requests.RequestException:
                status = 0
            self._note(start, time.monotonic(), "post", status, body)
            i += 1
            time.sleep(0.05)

    def failures(self, after=0.0):
        return [entry for entry in self.log if entry[0] >= after and not 200 <= entry[3] < 400]

    def acknowledged(self):
        return {entry[4] for entry in self.log if entry[2] == "post" and entry[3] in (201, 302)}


# (b) PostgreSQL restarted under load


def test_app_recovers_after_a_postgresql_restart_and_keeps_every_acknowledged_comment(world, server):
    (article,) = make_articles(world, 1, "pg-restart")
    try:
        with Traffic(server.base, article) as traffic:
            time.sleep(3)
            assert not traffic.failures(), traffic.failures()[:5]  # steady before the fault
            down_at = time.monotonic()
            restart = _run(["pg_ctlcluster", "--skip-systemctl-redirect", _pg_version(), "main", "restart"])
            assert restart.returncode == 0, restart.stderr
            assert wait_for(pg_ready, 30, 0.05)
            back_at = time.monotonic()
            time.sleep(BACK_WITHIN + 3)
    finally:
        ensure_services()

    failures_after = [entry for entry in traffic.failures() if entry[1] > back_at]
    recovery = max((entry[1] - back_at for entry in failures_after), default=0.0)
    record("PostgreSQL restart took", f"{back_at - down_at:.2f} s")
    record("failed requests during the restart", len(traffic.failures()))
    record("recovery after PostgreSQL came back", f"{recovery:.2f} s")
    first_ok = min(entry[1] for entry in traffic.log if entry[0] >= back_at and 200 <= entry[3] < 400)
    record("first good answer after PostgreSQL came back", f"{first_ok - back_at:.2f} s")
    assert recovery < BACK_WITHIN, failures_after[-5:]
    late = [entry for entry in traffic.log if entry[0] > back_at + BACK_WITHIN]
    assert late and not [entry for entry in late if not 200 <= entry[3] < 400]
    acknowledged = traffic.acknowledged()
    assert acknowledged
    assert not acknowledged - comment_bodies(article["id"])


# (c) Redis stopped


def page_latencies(base, article, rounds=10):
    urls = [base + article["url"], base + "/", base + article["section"]]
    results = [timed_get(url, timeout=10) for _ in range(rounds) for url in urls]
    return [end - start for start, end, _ in results], [status for _, _, status in results]


def test_site_works_without_redis_and_returns_to_it(world, server):
    (article,) = make_articles(world, 1, "redis-down")
    baseline, statuses = page_latencies(server.base, article)
    assert set(statuses) == {200}
    try:
        _run(["redis-cli", "-p", "6379", "shutdown", "nosave"])
        assert wait_for(lambda: not redis_ready(), 10)
        down, statuses = page_latencies(server.base, article)
        posted = [
            post(server.base, article["id"], f"Posted without Redis {n}", "192.0.2.77") for n in range(3)
        ]
    finally:
        ensure_services()
    assert redis_ready()

    added_median = statistics.median(down) - statistics.median(baseline)
    added_max = max(down) - statistics.median(baseline)
    record("page latency with Redis (median)", f"{statistics.median(baseline) * 1000:.0f} ms")
    record(
        "added latency with Redis down", f"median {added_median * 1000:.0f} ms, max {added_max * 1000:.0f} ms"
    )
    assert set(statuses) == {200}
    assert [response.status_code for response in posted] == [302, 302, 302]
    assert {f"Posted without Redis {n}" for n in range(3)} <= comment_bodies(article["id"])
    assert added_max < SOCKET_TIMEOUT + 0.5

    # Back to normal: once each worker's pause (ResilientRedisCacheClient.retry_after) is over,
    # the rate-limit counters are in Redis again.
    time.sleep(5.5)
    after, statuses = page_latencies(server.base, article, rounds=3)
    assert set(statuses) == {200}
    for n in range(5):  # each worker that takes one notices Redis is back
        assert post(server.base, article["id"], f"After Redis came back {n}", "192.0.2.78").status_code == 302
    keys = _run(["redis-cli", "-p", "6379", "-n", str(REDIS_DB), "--scan", "--pattern", "*192.0.2.78*"])
    assert keys.stdout.strip(), "nothing written to Redis after it came back"


# (d) Two app servers sharing PostgreSQL and Redis


@pytest.fixture
def two_servers(world):
    env = {**world["env"], "COMMENTS_RATE_LIMIT": "5/60"}
    servers = [AppServer(env, world["base"], workers=2), AppServer(env, world["base"], workers=2)]
    yield servers
    for app in servers:
        app.stop()


def test_two_servers_share_comments_edits_and_rate_limits(world, two_servers):
    first, second = two_servers
    (article,) = make_articles(world, 1, "two-servers")

    # A comment posted through one is in the other's new-comments answer.
    since = (time.time_ns() // 1000) - 1_000_000
    assert post(first.base, article["id"], "Seen by both servers", "192.0.2.90").status_code == 302
    posted_at = time.monotonic()

    def shown_by_second():
        answer = requests.get(
            f"{second.base}/comments/{article['id']}/new/", params={"since": since}, timeout=5
        )
        return answer.status_code == 200 and "Seen by both servers" in answer.json()["html"]

    assert wait_for(shown_by_second, BACK_WITHIN, 0.05)
    record("comment propagation between servers", f"{time.monotonic() - posted_at:.3f} s")

    # An edited story is fresh on both.
    for app in two_servers:
        assert "Fault story two-servers 0" in requests.get(app.base + article["url"], timeout=5).text
    edit = f"from articles.models import Article\na = Article.objects.get(pk={article['id']})\n"
    edit += "a.headline = 'Edited headline seen everywhere'\na.save()\n"
    manage(world["env"], "shell", code=edit)
    edited_at = time.monotonic()

    def fresh_everywhere():
        return all(
            "Edited headline seen everywhere" in requests.get(app.base + article["url"], timeout=5).text
            for app in two_servers
        )

    assert wait_for(fresh_everywhere, BACK_WITHIN, 0.05)
    record("edited story fresh on both servers", f"{time.monotonic() - edited_at:.3f} s")

    # The rate limit (5 a minute) counts posts to either server.
    if time.time() % 60 > 50:  # the fixed window must not roll over in the middle
        time.sleep(61 - time.time() % 60)
    statuses = [
        post(app.base, article["id"], f"Rate limited {n}", "192.0.2.91").status_code
        for n, app in enumerate([first, second] * 3)
    ]
    assert statuses == [302] * 5 + [429]


# (e) PostgreSQL down behind nginx: stale pages, a 503 page for the rest, nothing acknowledged lost

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
# PostgreSQL is shared with everything else on this machine: a short outage. Stopping it and
# starting it again take a second or two each on top.
DOWN_SECONDS = 2
NGINX_SHELL = """\
# Made by newsroom/tests/test_faults.py from deploy/nginx.conf.
user root;
worker_processes 1;
daemon off;
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{
    worker_connections 512;
}}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {work}/body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
{site}
}}
"""


def nginx_site(*, port, app_port, work, paths):
    """deploy/nginx.conf as it is, but for what cannot run here (what benchmarks/nginx_conf.py
    changes too): plain http on 127.0.0.1, no port-80 redirect, this test's gunicorn, folders."""
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    start = text.index("server {\n    listen 80;")
    text = text[:start] + text[text.index("\nserver {", start) + 1 :]
    changes = [
        (r"^\s*listen \[::\]:443 ssl[ \w]*;\n", ""),
        (r"^(\s*)listen 443 ssl[ \w]*;", rf"\g<1>listen 127.0.0.1:{port};"),
        (r"^\s*ssl_\w+ [^;]*;\n", ""),
        (r"(upstream newsroom_app \{\s*server )127\.0\.0\.1:\d+", rf"\g<1>127.0.0.1:{app_port}"),
        (r"^(proxy_cache_path )/\S+", rf"\g<1>{work}/cache"),
        (r"/srv/newsroom/staticfiles/", f"{paths['static_root']}/"),
        (r"/srv/newsroom/media/", f"{paths['media_root']}/"),
    ]
    for pattern, replacement in changes:
        text, found = re.subn(pattern, replacement, text, flags=re.MULTILINE)
        assert found, f"deploy/nginx.conf changed: {pattern!r} is not there any more"
    return text


class Nginx(Served):
    """An nginx master of our own (root, as the fault tests are), in front of one app server."""

    def __init__(self, app, work, paths):
        work.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        site = nginx_site(port=self.port, app_port=app.port, work=work, paths=paths)
        conf = work / "nginx.conf"
        conf.write_text(NGINX_SHELL.format(work=work, site=site))
        log = work / "error.log"
        self.start([NGINX, "-c", str(conf), "-p", str(work), "-e", str(log)], self.base + "/", log, wait=10)


def branded_503(response):
    return (
        response.status_code == 503
        and response.headers.get("Retry-After") == "10"
        and 'class="error-page"' in response.text
        and "Newsroom" in response.text
    )


class Outage:
    """Readers of warm pages, a reader of a page never cached (a new query string each time) and
    posters, all through nginx; each answer noted as a dict."""

    def __init__(self, base, warm, article, posters=3):
        self.base, self.warm, self.article = base, warm, article
        self.stop_event = threading.Event()
        self.log = []
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self._read, args=(n,)) for n in range(3)]
        self.threads.append(threading.Thread(target=self._read_cold))
        self.threads += [threading.Thread(target=self._post, args=(n,)) for n in range(posters)]

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop_event.set()
        for thread in self.threads:
            thread.join(REQUEST_TIMEOUT + 5)

    def _note(self, kind, start, response, body=None):
        entry = {"kind": kind, "start": start, "end": time.monotonic(), "body": body, "status": 0}
        if response is not None:
            entry.update(
                status=response.status_code,
                cache=response.headers.get("X-Cache"),
                branded_503=branded_503(response),
            )
        with self.lock:
            self.log.append(entry)

    def _get(self, kind, url):
        start = time.monotonic()
        try:
            response = requests.get(url, timeout=10)
        except requests.RequestException:
            response = None
        self._note(kind, start, response)

    def _read(self, n):
        i = n
        while not self.stop_event.is_set():
            self._get("warm", self.base + self.warm[i % len(self.warm)])
            i += 1
            time.sleep(0.02)

    def _read_cold(self):
        i = 0
        while not self.stop_event.is_set():
            self._get("cold", f"{self.base}{self.article['url']}?never-cached={i}")
            i += 1
            time.sleep(0.05)

    def _post(self, n):
        i = 0
        while not self.stop_event.is_set():
            body = f"Poster {n} behind nginx, comment {i}: {secrets.token_hex(4)}"
            start = time.monotonic()
            try:
                response = post(
                    self.base,
                    self.article["id"],
                    body,
                    "203.0.113.9",
                    f"Nginx {n}",
                    origin="https://127.0.0.1",
                )
            except requests.RequestException:
                response = None
            self._note("post", start, response, body)
            i += 1
            time.sleep(0.05)

    def entries(self, kind=None, after=float("-inf"), before=float("inf")):
        return [e for e in self.log if (kind is None or e["kind"] == kind) and after <= e["start"] < before]


def good(entry):
    return entry["status"] == 200 or (entry["kind"] == "post" and entry["status"] == 302)


def test_database_down_behind_nginx_serves_stale_pages_a_503_page_and_loses_nothing(world, server, tmp_path):
    articles = make_articles(world, 3, "outage")
    warm = [article["url"] for article in articles] + ["/", articles[0]["section"]]
    proxy = Nginx(server, tmp_path / "nginx", world["paths"])
    try:
        for url in warm:  # now nginx holds a copy of each
            assert requests.get(proxy.base + url, timeout=10).status_code == 200
        with Outage(proxy.base, warm, articles[0]) as traffic:
            time.sleep(2)
            down_at = time.monotonic()
            stop = _run(["pg_ctlcluster", "--skip-systemctl-redirect", _pg_version(), "main", "stop"])
            assert stop.returncode == 0, stop.stderr
            stopped_at = time.monotonic()
            time.sleep(DOWN_SECONDS)
            start_at = time.monotonic()
            start = _run(["pg_ctlcluster", "--skip-systemctl-redirect", _pg_version(), "main", "start"])
            assert start.returncode == 0, start.stderr
            assert wait_for(pg_ready, 30, 0.05)
            back_at = time.monotonic()
            time.sleep(BACK_WITHIN + 2)
    finally:
        ensure_services()
        proxy.stop()

    before = [entry for entry in traffic.log if entry["end"] < down_at]  # answered before the stop
    # Every answer, all along: a 200 (fresh or stale), a taken post, or the branded 503 page.
    odd = [entry for entry in traffic.log if not good(entry) and not entry.get("branded_503")]
    during = traffic.entries(after=down_at, before=back_at)
    warm_during = [entry for entry in during if entry["kind"] == "warm"]
    stale = [entry for entry in warm_during if entry["cache"] in ("STALE", "UPDATING")]
    cold_503 = [entry for entry in during if entry["kind"] == "cold" and entry["status"] == 503]
    posts = traffic.entries("post")
    refused = [entry for entry in posts if entry["status"] != 302]
    acknowledged = {entry["body"] for entry in posts if entry["status"] == 302}
    missing = acknowledged - comment_bodies(articles[0]["id"])
    failed_after = [entry for entry in traffic.entries(after=back_at) if not good(entry)]
    recovery = max((entry["end"] - back_at for entry in failed_after), default=0.0)
    late = traffic.entries(after=back_at + BACK_WITHIN)

    statuses = [entry["status"] for entry in traffic.log]
    parts = f"stopping {stopped_at - down_at:.1f} s, stopped {DOWN_SECONDS} s, "
    parts += f"starting {back_at - start_at:.1f} s"
    record("PostgreSQL away for", f"{back_at - down_at:.2f} s ({parts})")
    record("answers 200 / 302 / 503 / other", f"{statuses.count(200)} / {statuses.count(302)} / "
           f"{statuses.count(503)} / {len(odd)}")  # fmt: skip
    record("warm pages while down", f"{len(warm_during)} answers, {len(stale)} stale copies from nginx")
    record("page never cached while down", f"{len(cold_503)} answers 503 with Retry-After")
    record("posts", f"{len(acknowledged)} taken ({len(missing)} lost), {len(refused)} answered 503")
    record("recovery after PostgreSQL came back", f"{recovery:.2f} s")

    assert before and all(good(entry) for entry in before), [e for e in before if not good(e)][:5]
    assert not odd, odd[:5]
    assert warm_during and all(entry["status"] == 200 for entry in warm_during)  # pages read lately
    assert stale
    assert cold_503  # the app really had no database
    assert refused and all(entry["branded_503"] for entry in refused)
    assert not missing, sorted(missing)[:5]
    assert recovery < BACK_WITHIN, failed_after[-5:]
    assert late and all(good(entry) for entry in late)
    # nginx refreshes its copies again: fresh hits, not only the stale copy of before the outage.
    assert [entry for entry in late if entry["kind"] == "warm" and entry["cache"] == "HIT"]
