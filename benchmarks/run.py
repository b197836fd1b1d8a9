# ruff: noqa: S603, S607 - a benchmark driver: it runs wrk, nginx and gunicorn by name on purpose.
"""`make bench`: a large data set, the production stack on 127.0.0.1, wrk against every reader page.

1. benchmarks/generate.py fills the benchmark database once: BENCH_DATABASE_URL (a PostgreSQL
   database is created when missing) or by default benchmarks/bench.sqlite3. 100,000 stories,
   1,000,000 comments, 5,000 tags.
2. gunicorn starts with the production settings, as `make serve` does, plus one URL: the minimal
   Django view the reference figures describe (benchmarks/urls.py: the same 50-comment story in one
   plain template, three queries, no cache). Two more gunicorns start the same way for the story
   page's other cases: PAGE_CACHE=false (no whole-page cache: the fragments are still cached), and
   PAGE_CACHE=false with FRAGMENT_CACHE_SECONDS=0 and a temp directory of its own (nothing cached:
   every request draws the whole page). nginx starts in front of the first one with the
   micro-cache of deploy/nginx.conf when nginx is installed, and also serves the story page as a
   plain file.
3. wrk (-t2 -c32, BENCH_SECONDS each, at most 10) measures the 50-comment story in every case side
   by side (the rows the issue's targets compare twice each, interleaved), then every reader
   page. Comment posting is measured by a small Python loop; then how long a new comment and a
   story edit take to reach an anonymous reader through nginx.
4. A table goes to the screen and to benchmarks/results/<date>-<database>.md.

About 3 minutes with the defaults once the data set exists (making it: under a minute on SQLite,
about one on PostgreSQL); about 6 with BENCH_SECONDS=10, the most it takes.
"""

import http.client
import json
import os
import random
import re
import secrets
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
APP_PORT = int(os.environ.get("BENCH_APP_PORT", "8765"))
NGINX_PORT = int(os.environ.get("BENCH_NGINX_PORT", "8766"))
NO_PAGE_CACHE_PORT = int(os.environ.get("BENCH_NO_PAGE_CACHE_PORT", "8767"))
NO_CACHE_PORT = int(os.environ.get("BENCH_NO_CACHE_PORT", "8768"))
SECONDS = min(int(os.environ.get("BENCH_SECONDS", "5")), 10)
WORKERS = int(os.environ.get("WEB_CONCURRENCY") or min(8, 2 * (os.cpu_count() or 1) + 1))
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{ROOT / 'benchmarks' / 'bench.sqlite3'}"
POSTGRES = DATABASE_URL.startswith(("postgres://", "postgresql://"))
WORK = None  # a temporary directory, made by main()

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
os.environ.update(ENV)
sys.path.insert(0, str(ROOT))

# The story page's cases, each a gunicorn of its own (the settings read these at start).
NO_PAGE_CACHE = {"PAGE_CACHE": "false"}


def nothing_cached():
    # FRAGMENT_CACHE_SECONDS=0: every fragment is stored already expired, so never read back; its
    # own temp directory keeps it from overwriting the others' fragments (the same cache keys).
    return {"PAGE_CACHE": "false", "FRAGMENT_CACHE_SECONDS": "0", "TMPDIR": str(WORK / "tmp-no-cache")}


def database_label():
    if POSTGRES:
        parts = urllib.parse.urlsplit(DATABASE_URL)
        return f"PostgreSQL, database `{parts.path.lstrip('/')}` on {parts.hostname}:{parts.port or 5432}"
    path = Path(DATABASE_URL.removeprefix("sqlite:///").removeprefix("sqlite://"))
    shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    return f"SQLite {sqlite3.sqlite_version}, `{shown}`"


def ensure_database():
    """A PostgreSQL database named by BENCH_DATABASE_URL is created when it does not exist yet."""
    if not POSTGRES:
        return
    import psycopg
    from psycopg import sql

    parts = urllib.parse.urlsplit(DATABASE_URL)
    name = urllib.parse.unquote(parts.path.lstrip("/"))
    server = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            print(f"Creating the PostgreSQL database {name}", flush=True)
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def ensure_wrk():
    if shutil.which("wrk"):
        return True
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("Installing wrk", flush=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False, capture_output=True)
    return bool(shutil.which("wrk"))


def free_port(preferred):
    """`preferred` when nothing listens there, else any free port (another run may be going on)."""
    for port in (preferred, 0):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise RuntimeError("No free port on 127.0.0.1")


def ensure_nginx():
    """nginx for the rows that need it (installed with apt as root; its service is not started)."""
    if not shutil.which("nginx") and os.geteuid() == 0 and shutil.which("apt-get"):
        print("Installing nginx", flush=True)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "nginx"],
            check=False,
            capture_output=True,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )
    return bool(shutil.which("nginx"))


def fetch(port, path, timeout=60):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def wait_for(port, path="/", timeout=30, process=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process and process.poll() is not None:
            raise RuntimeError(f"The server for 127.0.0.1:{port} stopped (exit status {process.returncode})")
        try:
            if fetch(port, path, timeout=5)[0] < 500:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"Nothing answers on 127.0.0.1:{port}")


def settle(port, path, timeout=30):
    """Wait until the workers have finished what the last wrk left queued (a quick answer twice)."""
    deadline, quick = time.monotonic() + timeout, 0
    while quick < 2 and time.monotonic() < deadline:
        started = time.monotonic()
        try:
            fetch(port, path, timeout=max(1, deadline - started))
        except OSError:
            quick = 0
            continue
        quick = quick + 1 if time.monotonic() - started < 0.2 else 0


NGINX_CONF = """
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    sendfile on;
    # As deploy/nginx.conf: no TCP_CORK, and buffers that hold a whole story page (about 70 KB).
    tcp_nopush off;
    output_buffers 2 256k;
    proxy_buffers 16 16k;
    proxy_buffer_size 16k;
    client_body_temp_path {work}/body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    upstream newsroom_app {{ server 127.0.0.1:{app}; keepalive 16; }}
    # As deploy/nginx.conf, on plain http and 127.0.0.1.
    proxy_cache_path {work}/cache levels=1:2 keys_zone=newsroom:10m max_size=256m inactive=10m
                     use_temp_path=off;
    map $http_cookie $newsroom_has_session {{
        default 0;
        "~(^|;)\\s*(sessionid|messages|nr_fresh)=" 1;
    }}
    map $uri $newsroom_private_path {{
        default 0;
        "~^/(admin|accounts)/" 1;
    }}
    server {{
        listen 127.0.0.1:{port};
        location /static/ {{ alias {root}/staticfiles/; }}
        location /bench/file/ {{ alias {work}/www/; default_type text/html; }}
        location / {{
            proxy_pass http://newsroom_app;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_cache newsroom;
            proxy_cache_key $scheme$host$request_uri;
            proxy_cache_methods GET HEAD;
            proxy_cache_valid 200 301 302 404 1s;
            proxy_cache_bypass $newsroom_has_session $newsroom_private_path;
            proxy_no_cache $newsroom_has_session $newsroom_private_path;
            proxy_cache_lock on;
            proxy_cache_lock_timeout 5s;
            proxy_cache_use_stale updating error timeout http_500 http_502 http_503 http_504;
            proxy_cache_background_update on;
            add_header X-Cache $upstream_cache_status always;
        }}
    }}
}}
"""


def start_nginx(story_html):
    if not ensure_nginx():
        print("nginx is not installed: the nginx rows are left out.", flush=True)
        return None
    (WORK / "www").mkdir()
    (WORK / "www" / "story.html").write_bytes(story_html)
    conf = WORK / "nginx.conf"
    conf.write_text(NGINX_CONF.format(work=WORK, app=APP_PORT, port=NGINX_PORT, root=ROOT))
    process = subprocess.Popen(["nginx", "-c", str(conf), "-g", "daemon off;"], cwd=WORK)
    wait_for(NGINX_PORT, "/bench/file/story.html", process=process)
    return process


class Gunicorn:
    """The production stack as `make serve` starts it, with `settings` added to its environment."""

    def __init__(self, port, settings=None):
        self.port, self.settings = port, settings or {}
        self.process = subprocess.Popen(
            [
                str(ROOT / ".venv/bin/gunicorn"),
                "newsroom.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(WORKERS),
                "--forwarded-allow-ips",
                "127.0.0.1",
                # One each: by default every gunicorn of the machine's user uses the same one.
                "--control-socket",
                str(WORK / f"gunicorn-{port}.ctl"),
            ],
            cwd=ROOT,
            env={**ENV, **self.settings},
            stdout=subprocess.DEVNULL,
        )

    def worker_rss_mb(self):
        sizes = []
        for child in Path("/proc").iterdir():
            try:
                status = (child / "status").read_text()
            except OSError:
                continue
            if re.search(rf"^PPid:\s+{self.process.pid}$", status, re.M):
                sizes.append(int(re.search(r"^VmRSS:\s+(\d+)", status, re.M).group(1)) / 1024)
        return max(sizes) if sizes else 0

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=40)  # gunicorn's graceful_timeout is 30 s
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def parse_ms(text):
    value, unit = float(re.match(r"([\d.]+)", text).group(1)), re.sub(r"[\d.]", "", text)
    return value * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def wrk(port, path, paths=None):
    """wrk against one path, or each request the next of `paths` (a file) with rotate.lua."""
    command = ["wrk", "-t2", "-c32", f"-d{SECONDS}s", "--latency", "--timeout", "10s"]
    env = dict(os.environ)
    if paths:
        command += ["-s", str(ROOT / "benchmarks" / "rotate.lua")]
        env["WRK_PATHS"] = str(paths)
    command.append(f"http://127.0.0.1:{port}{path}")
    out = subprocess.run(command, capture_output=True, text=True, env=env, check=False).stdout
    try:
        rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
        p50 = parse_ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))
        p99 = parse_ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
    except (AttributeError, KeyError, ValueError):
        print(out, flush=True)
        return {"rps": 0.0, "p50": float("nan"), "p99": float("nan"), "errors": -1}
    # Errors: answers other than 2xx/3xx, and connections that failed or timed out.
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    total = (int(errors.group(1)) if errors else 0) + (sum(map(int, sockets.groups())) if sockets else 0)
    return {"rps": rps, "p50": p50, "p99": p99, "errors": total}


def count_queries(paths):
    """Queries per request, in this process with the same settings: cold cache, then warm."""
    import django

    django.setup()
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client, counts = Client(raise_request_exception=False), {}
    # A worker that has served once: what it keeps for its lifetime (content types, compiled
    # templates) is no part of a page's cost. Then each page on empty caches, and again.
    for path in paths.values():
        client.get(path)
    for name, path in paths.items():
        for cache in caches.all():
            cache.clear()
        found = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as captured:
                status = client.get(path).status_code
            found.append(len(captured))
        counts[name] = (*found, status)
    return counts


def count_queries_with(settings, paths):
    """count_queries() in a process of its own started with a gunicorn's `settings`."""
    out = subprocess.run(
        [PY, __file__, "--count-queries", json.dumps(paths)],
        cwd=ROOT,
        env={**ENV, **settings},
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    ).stdout
    return {name: tuple(found) for name, found in json.loads(out.strip().splitlines()[-1]).items()}


def post_comments(article_id, seconds, threads=8):
    """Guests posting comments as fast as they can, each with its own CSRF token from /csrf/."""
    from comments.forms import make_token

    latencies, statuses, lock = [], {}, threading.Lock()
    deadline = time.monotonic() + seconds

    def guest(n):
        conn = http.client.HTTPConnection("127.0.0.1", APP_PORT, timeout=30)
        conn.request("GET", "/csrf/")
        response = conn.getresponse()
        token = json.loads(response.read())["token"]
        cookie = response.getheader("Set-Cookie").split(";")[0]
        k = 0
        while time.monotonic() < deadline:
            k += 1
            form = {
                "name": f"Bench guest {n}",
                "email": f"bench{n}@example.com",
                "body": f"Benchmark comment {n}-{k}-{secrets.token_hex(4)}.",
                "website": "",
                "token": make_token(article_id, time.time() - 10),
                "csrfmiddlewaretoken": token,
            }
            started = time.perf_counter()
            conn = http.client.HTTPConnection("127.0.0.1", APP_PORT, timeout=30)
            conn.request(
                "POST",
                f"/comments/{article_id}/post/",
                urllib.parse.urlencode(form),
                {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
            )
            status = conn.getresponse().status
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1

    started = time.monotonic()
    pool = [threading.Thread(target=guest, args=(n,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    took = time.monotonic() - started
    latencies.sort()
    return {
        "rps": len(latencies) / took,
        "p50": latencies[len(latencies) // 2],
        "p99": latencies[int(len(latencies) * 0.99)],
        "errors": sum(n for status, n in statuses.items() if status != 302),
    }


def seconds_until_visible(port, path, text, timeout=30):
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", path)
        if text in conn.getresponse().read().decode():
            return time.monotonic() - started
        time.sleep(0.1)
    return None


def main():
    global WORK, APP_PORT, NGINX_PORT, NO_PAGE_CACHE_PORT, NO_CACHE_PORT
    began, load_before = time.monotonic(), os.getloadavg()[0]
    APP_PORT, NGINX_PORT, NO_PAGE_CACHE_PORT, NO_CACHE_PORT = (
        free_port(port) for port in (APP_PORT, NGINX_PORT, NO_PAGE_CACHE_PORT, NO_CACHE_PORT)
    )
    if not ensure_wrk():
        sys.exit("make bench needs wrk: apt-get install wrk")
    print(f"Benchmark database: {database_label()}", flush=True)
    ensure_database()
    generated = subprocess.run(
        [PY, "benchmarks/generate.py"], cwd=ROOT, env=ENV, capture_output=True, text=True, check=True
    ).stdout
    print(generated, end="", flush=True)
    subprocess.run([PY, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=ENV, check=True)
    shutil.rmtree(Path(tempfile.gettempdir()) / "newsroom-fragments", ignore_errors=True)
    WORK = Path(tempfile.mkdtemp(prefix="newsroom-bench-"))
    WORK.chmod(0o755)  # nginx's workers (nobody) read and write below it

    import django

    django.setup()
    from django.db import connection
    from django.db.models import Max

    from articles.models import Article

    latest = Article.objects.aggregate(Max("pk"))["pk__max"]
    big, small, poster, fresh = (
        Article.objects.select_related("section").get(pk=pk)
        for pk in (latest, latest - 1, latest - 2, latest - 3)
    )
    if small.comments.count() < 50 or big.comments.count() < 5000:
        sys.exit("The benchmark database is not the one benchmarks/generate.py makes: empty it first.")
    tag = big.tags.first()
    story = small.get_absolute_url()
    minimal = f"/bench/minimal/{small.pk}/"
    paths = {
        "home": "/",
        "story, 50 comments": story,
        "story, 5,000 comments": big.get_absolute_url(),
        "story, 5,000 comments, last page": big.get_absolute_url() + "?cpage=100",
        "section": big.section.get_absolute_url(),
        "tag": f"/tag/{tag.slug}/",
        "short URL": small.get_short_path(),
        "feed": "/feeds/rss/",
        # A word of one headline: every story's text has all the generator's words ("bridge"...).
        "search": f"/search/?q={small.pk}",
    }
    # Two sets of 5,000 other stories (about 10 comments and a shorter text each), one per gunicorn
    # that rotates through them, so that neither finds the other's fragments in the shared cache.
    others = list(Article.objects.select_related("section").order_by("-pk")[10:10010])
    rotations = {}
    for name, stories in (("page-cache", others[:5000]), ("no-page-cache", others[5000:])):
        rotations[name] = WORK / f"{name}.txt"
        rotations[name].write_text("\n".join(a.get_absolute_url() for a in stories))
    first = {name: file.read_text().split("\n", 1)[0] for name, file in rotations.items()}
    vendor = f"{connection.display_name} {'.'.join(map(str, connection.get_database_version()))}"

    print("Counting queries (cold cache, then warm)", flush=True)
    queries = {
        "app": count_queries_with(
            {}, {**paths, "minimal": minimal, "cold": first["page-cache"], "story": story}
        ),
        "no page cache": count_queries_with(NO_PAGE_CACHE, {"story": story, "cold": first["no-page-cache"]}),
        "nothing cached": count_queries_with(nothing_cached(), {"story": story}),
    }

    servers = {
        "app": Gunicorn(APP_PORT),
        "no page cache": Gunicorn(NO_PAGE_CACHE_PORT, NO_PAGE_CACHE),
        "nothing cached": Gunicorn(NO_CACHE_PORT, nothing_cached()),
    }
    app = servers["app"]
    nginx = None
    rows, sizes = [], {}
    try:
        for server in servers.values():
            wait_for(server.port, process=server.process)
        status, story_html = fetch(APP_PORT, story)
        sizes["story"] = len(story_html)
        if status != 200:
            sizes["story status"] = status
            print(
                f"WARNING: the story page answered HTTP {status}: its figures are an error page's", flush=True
            )
        sizes["minimal"] = len(fetch(APP_PORT, minimal)[1])
        nginx = start_nginx(story_html)
        print(
            f"Story page {sizes['story'] / 1024:.0f} KB, minimal view {sizes['minimal'] / 1024:.0f} KB. "
            f"Each run: wrk -t2 -c32 -d{SECONDS}s",
            flush=True,
        )

        def run(table, where, name, port, path, *, server=None, found=None, rotate=None, keep=True):
            """One wrk run; the page is fetched first (its size, and caches warmed like a reader)."""
            if server:
                settle(server.port, paths["short URL"])
            size = None
            if rotate is None:
                size = len(fetch(port, path)[1]) / 1024
            result = wrk(port, path, paths=rotate)
            if rotate is not None:  # afterwards: sizes of a sample of the stories it went through
                sample = random.Random(1).sample(rotate.read_text().splitlines(), 20)
                size = sum(len(fetch(port, p)[1]) for p in sample) / len(sample) / 1024
            result.update(
                table=table,
                where=where,
                name=name,
                kb=size,
                rss=server.worker_rss_mb() if server else None,
                queries=found,
            )
            if keep:
                rows.append(result)
            print(
                f"  {where:<34} {name:<48} {result['rps']:>9.0f} req/s, {result['errors']} errors", flush=True
            )
            return result

        def compare(*cases):
            """Rows the issue's targets compare: measured A, B, …, A, B, …, each keeping its better
            run, so that a burst of work elsewhere on the machine does not decide the ratio."""
            runs = [run(*args, **kwargs, keep=False) for args, kwargs in (*cases, *cases)]
            for a, b in zip(runs[: len(cases)], runs[len(cases) :], strict=True):
                best = dict(max(a, b, key=lambda r: r["rps"]))
                best["errors"] = a["errors"] + b["errors"]
                rows.append(best)

        # The 50-comment story in every case, side by side; the minimal view just before the story.
        side = "side"
        compare(
            (
                (side, "gunicorn", "minimal Django view, same story (no cache)", APP_PORT, minimal),
                {"server": app, "found": queries["app"]["minimal"]},
            ),
            (
                (
                    side,
                    "gunicorn, nothing cached",
                    "story, 50 comments, nothing cached",
                    NO_CACHE_PORT,
                    story,
                ),
                {"server": servers["nothing cached"], "found": queries["nothing cached"]["story"]},
            ),
            (
                (
                    side,
                    "gunicorn, PAGE_CACHE=false",
                    "story, 50 comments, no page cache (fragments warm)",
                    NO_PAGE_CACHE_PORT,
                    story,
                ),
                {"server": servers["no page cache"], "found": queries["no page cache"]["story"]},
            ),
        )
        run(
            side,
            "gunicorn, PAGE_CACHE=false",
            "story, fully cold (5,000 other stories)",
            NO_PAGE_CACHE_PORT,
            "/",
            server=servers["no page cache"],
            found=queries["no page cache"]["cold"],
            rotate=rotations["no-page-cache"],
        )
        run(
            side,
            "gunicorn",
            "story, 50 comments, app page cache",
            APP_PORT,
            story,
            server=app,
            found=queries["app"]["story"],
        )
        if nginx:
            compare(
                (
                    (
                        side,
                        "nginx, a file",
                        "the story page's bytes as a static file",
                        NGINX_PORT,
                        "/bench/file/story.html",
                    ),
                    {},
                ),
                (
                    (side, "nginx → gunicorn", "story, 50 comments, nginx micro-cache", NGINX_PORT, story),
                    {"server": app, "found": queries["app"]["story"]},
                ),
            )
        # Every reader page.
        run(
            "all",
            "gunicorn",
            "story, cold (5,000 other stories)",
            APP_PORT,
            "/",
            server=app,
            found=queries["app"]["cold"],
            rotate=rotations["page-cache"],
        )
        for name, path in paths.items():  # search last: slow on SQLite, it keeps the workers busy
            if name != "story, 50 comments":
                run("all", "gunicorn", name, APP_PORT, path, server=app, found=queries["app"][name])
        if nginx:
            for name in ("home", "story, 5,000 comments", "section", "tag", "feed"):
                run(
                    "all",
                    "nginx → gunicorn",
                    name,
                    NGINX_PORT,
                    paths[name],
                    server=app,
                    found=queries["app"][name],
                )
        settle(APP_PORT, paths["short URL"])
        posting = post_comments(poster.pk, SECONDS)
        posting.update(
            table="all",
            where="gunicorn",
            name="post a comment (8 guests)",
            kb=None,
            rss=app.worker_rss_mb(),
            queries=None,
        )
        rows.append(posting)
        print(f"  {'gunicorn':<34} {posting['name']:<48} {posting['rps']:>9.0f} req/s", flush=True)

        # The worst case, once: a word in the text of every one of the 100,000 stories.
        settle(APP_PORT, paths["short URL"])
        started = time.monotonic()
        try:
            status = fetch(APP_PORT, "/search/?q=bridge")[0]
            search_all = f"HTTP {status} after {time.monotonic() - started:.2f} s"
        except OSError as error:
            search_all = f"no answer after {time.monotonic() - started:.0f} s ({error!r})"
        print(f"  Search for a word in every story, one request: {search_all}", flush=True)

        freshness = {}
        if nginx:
            path = fresh.get_absolute_url()
            seconds_until_visible(NGINX_PORT, path, fresh.headline)  # in nginx's cache now
            from comments.services import post_comment

            text = f"Visible to others soon {secrets.token_hex(4)}"
            post_comment(article=fresh, body=text, name="Bench", email="bench@example.com")
            freshness["new comment"] = seconds_until_visible(NGINX_PORT, path, text)
            fresh.refresh_from_db()
            fresh.headline = f"Edited headline {secrets.token_hex(4)}"
            fresh.save()
            freshness["story edit"] = seconds_until_visible(NGINX_PORT, path, fresh.headline)
    finally:
        if nginx:
            nginx.terminate()
            nginx.wait(timeout=10)
        for server in servers.values():
            try:
                server.stop()
            except OSError as error:
                print(f"gunicorn {server.process.pid}: {error!r}", flush=True)
        shutil.rmtree(WORK, ignore_errors=True)

    took = time.monotonic() - began
    report = render_report(rows, generated, freshness, sizes, vendor, took, load_before, search_all)
    print(report)
    kind = "postgresql" if POSTGRES else "sqlite"
    out = ROOT / "benchmarks" / "results" / f"{datetime.now(UTC):%Y-%m-%d-%H%M}-{kind}.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text(report)
    print(f"Written to {out.relative_to(ROOT)} ({took:.0f} s in all)")


def _row(r):
    q = r["queries"]
    queries = f"{q[0]} / {q[1]}{f' (HTTP {q[2]})' if q[2] >= 400 else ''}" if q else "–"
    rss = f"{r['rss']:.0f}" if r["rss"] else "–"
    kb = f"{r['kb']:.0f}" if r["kb"] is not None else "–"
    return (
        f"| {r['where']} | {r['name']} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p99']:.1f} | {queries} | "
        f"{rss} | {r['errors']} | {kb} |"
    )


def render_report(rows, generated, freshness, sizes, vendor, took, load, search_all):
    has_nginx = any(r["where"].startswith("nginx") for r in rows)
    nginx_note = "in front, as in deploy/nginx.conf" if has_nginx else "not installed"
    head = [
        "| Where | Page | req/s | p50 ms | p99 ms | Queries cold / warm | Worker RSS MB | Errors | Page KB |",
        "| --- | --- | ---: | ---: | ---: | --- | ---: | ---: | ---: |",
    ]
    lines = [
        f"# Benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {'PostgreSQL' if POSTGRES else 'SQLite'}",
        "",
        *(
            [f"**The story page answered HTTP {sizes['story status']}: its rows measure an error page.**", ""]
            if "story status" in sizes
            else []
        ),
        f"Database: {database_label()} ({vendor}). {os.cpu_count()} CPU cores; gunicorn with {WORKERS} sync "
        f"workers and the production settings (no Redis: fragments in files shared by the workers); "
        f"nginx {nginx_note}; `wrk -t2 -c32 -d{SECONDS}s --latency` on 127.0.0.1. "
        f"`make bench` took {took:.0f} s. Load average (1 min) before it started: {load:.1f} (other "
        "processes busy meanwhile lower every figure).",
        "",
        f"The story page with 50 comments is {sizes['story'] / 1024:.1f} KB ({sizes['story']:,} bytes); the "
        f"minimal view's page of the same story and comments {sizes['minimal'] / 1024:.1f} KB "
        f"({sizes['minimal']:,} bytes).",
        "",
        "## The 50-comment story, side by side",
        "",
        *head,
        # The file first, as a reference; then in the order measured.
        *(
            _row(r)
            for r in sorted((r for r in rows if r["table"] == "side"), key=lambda r: r["rss"] is not None)
        ),
        "",
    ]
    by_name = {r["name"]: r for r in rows}
    minimal = by_name.get("minimal Django view, same story (no cache)")
    targets = []

    def caveat(*compared):
        errors = sum(r["errors"] for r in compared)
        return f" (**{errors} errors: not comparable**)" if errors else ""

    if minimal and minimal["rps"]:
        for name in (
            "story, 50 comments, nothing cached",
            "story, fully cold (5,000 other stories)",
            "story, 50 comments, no page cache (fragments warm)",
            "story, 50 comments, app page cache",
        ):
            if name in by_name:
                ratio = by_name[name]["rps"] / minimal["rps"]
                targets.append(
                    f"- {name}: {ratio:.2f}× the minimal view (target: 2×){caveat(minimal, by_name[name])}"
                )
    file_row = by_name.get("the story page's bytes as a static file")
    proxied = by_name.get("story, 50 comments, nginx micro-cache")
    if file_row and proxied and file_row["rps"]:
        ratio = proxied["rps"] / file_row["rps"]
        targets.append(
            f"- through nginx: {ratio:.0%} of nginx serving the file (target: 50%){caveat(proxied, file_row)}"
        )
    reader = [r for r in rows if r["queries"] and "minimal" not in r["name"]]
    if reader:
        worst = max(reader, key=lambda r: max(r["queries"][:2]))
        targets.append(
            f"- most queries on a reader page: {max(worst['queries'][:2])} ({worst['name']}; "
            "target: at most 5)"
        )
    lines += ["Against the issue's targets:", "", *targets, ""]
    lines += [
        "## Every page",
        "",
        *head,
        *(_row(r) for r in rows if r["table"] == "all"),
        "",
        "Where: **gunicorn** is the application as `make serve` runs it, with its caches warm (the page "
        "fetched once before wrk), page cache included; **PAGE_CACHE=false** the same without the "
        "whole-page cache (fragments still cached); **nothing cached** the same with PAGE_CACHE=false "
        "and FRAGMENT_CACHE_SECONDS=0, every request drawing the whole page; **nginx → gunicorn** "
        "through nginx and its micro-cache; **cold** rows ask for a different story each time "
        "(`benchmarks/rotate.lua`), stories with about 10 comments and a shorter text than the "
        "50-comment one (Page KB: the mean of 20 of them). Queries are counted in a process with the "
        "same settings, first request on empty caches / second; on nginx rows, what the application "
        "does on a miss. Errors: answers other than 2xx/3xx plus failed or timed-out connections. "
        "The rows the targets compare (minimal view, nothing cached and no page cache; the file and "
        "through nginx) are measured in turn twice and each row shows its better run (errors: both "
        "runs).",
    ]
    lines += [
        "",
        "The search row looks for a word of one headline (one match). Every story's text holds all "
        "the generator's words: one search for one of them (`/search/?q=bridge`, every story matches): "
        f"{search_all}.",
    ]
    if freshness:
        lines += ["", "Through nginx, an anonymous reader sees:"]
        for what, seconds in freshness.items():
            lines.append(
                f"- a {what} after {seconds:.1f} s" if seconds is not None else f"- a {what}: not within 30 s"
            )
    lines += ["", "Data set:", "", "```", generated.strip(), "```", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--count-queries"]:
        print(json.dumps(count_queries(json.loads(sys.argv[2]))))
    else:
        try:
            main()
        finally:
            if WORK:
                shutil.rmtree(WORK, ignore_errors=True)
