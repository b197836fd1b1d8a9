# ruff: noqa: S603, S607 - a benchmark driver: it runs wrk, nginx and gunicorn by name on purpose.
"""`make bench`: a large data set, the production stack on 127.0.0.1, wrk against every reader page.

1. benchmarks/generate.py fills the benchmark database (BENCH_DATABASE_URL, by default
   benchmarks/bench.sqlite3) once: 100,000 stories, 1,000,000 comments, 5,000 tags.
2. gunicorn starts with the production settings, as `make serve` does (plus one URL: a minimal
   Django view for comparison, benchmarks/urls.py); nginx starts in front of it with the
   micro-cache of deploy/nginx.conf when nginx is installed, and also serves the story page as a
   plain file for comparison.
3. wrk (-t2 -c32, BENCH_SECONDS each, at most 10) measures every page: straight from gunicorn
   ("django"), through nginx ("nginx"), and cold (many different stories, none cached yet).
   Comment posting is measured by a small Python loop; then how long a new comment and a story
   edit take to reach an anonymous reader through nginx.
4. A table goes to the screen and to benchmarks/results/<date>.md.
"""

import http.client
import json
import os
import re
import secrets
import shutil
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
SECONDS = min(int(os.environ.get("BENCH_SECONDS", "5")), 10)
WORKERS = int(os.environ.get("WEB_CONCURRENCY") or min(8, 2 * (os.cpu_count() or 1) + 1))
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{ROOT / 'benchmarks' / 'bench.sqlite3'}"
WORK = Path(tempfile.mkdtemp(prefix="newsroom-bench-"))
WORK.chmod(0o755)  # nginx's workers (nobody) read and write below it

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


def ensure_wrk():
    if shutil.which("wrk"):
        return True
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("Installing wrk", flush=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False, capture_output=True)
    return bool(shutil.which("wrk"))


def wait_for(port, path="/", timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", path)
            if conn.getresponse().status < 500:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"Nothing answers on 127.0.0.1:{port}")


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
    if not shutil.which("nginx"):
        print("nginx is not installed: the nginx rows are left out.", flush=True)
        return None
    (WORK / "www").mkdir()
    (WORK / "www" / "story.html").write_bytes(story_html)
    conf = WORK / "nginx.conf"
    conf.write_text(NGINX_CONF.format(work=WORK, app=APP_PORT, port=NGINX_PORT, root=ROOT))
    process = subprocess.Popen(["nginx", "-c", str(conf), "-g", "daemon off;"], cwd=WORK)
    wait_for(NGINX_PORT, "/bench/file/story.html")
    return process


def parse_ms(text):
    value, unit = float(re.match(r"([\d.]+)", text).group(1)), re.sub(r"[\d.]", "", text)
    return value * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def wrk(port, path, script=None, paths=None):
    command = ["wrk", "-t2", "-c32", f"-d{SECONDS}s", "--latency", "--timeout", "10s"]
    env = dict(os.environ)
    if script:
        command += ["-s", str(script)]
        env["WRK_PATHS"] = str(paths)
    command.append(f"http://127.0.0.1:{port}{path}")
    out = subprocess.run(command, capture_output=True, text=True, env=env, check=True).stdout
    try:
        rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
        p50 = parse_ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))
        p99 = parse_ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
    except (AttributeError, KeyError, ValueError):
        print(out, flush=True)
        return {"rps": 0.0, "p50": float("nan"), "p99": float("nan"), "errors": -1}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p50": p50, "p99": p99, "errors": int(errors.group(1)) if errors else 0}


def worker_rss_mb(master_pid):
    sizes = []
    for child in Path("/proc").iterdir():
        try:
            status = (child / "status").read_text()
        except OSError:
            continue
        if re.search(rf"^PPid:\s+{master_pid}$", status, re.M):
            sizes.append(int(re.search(r"^VmRSS:\s+(\d+)", status, re.M).group(1)) / 1024)
    return max(sizes) if sizes else 0


def count_queries(paths):
    """Queries per request, in this process with the same settings: cold cache, then warm."""
    import django

    django.setup()
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client, counts = Client(), {}
    for cache in caches.all():
        cache.clear()
    for name, path in paths.items():
        found = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as captured:
                status = client.get(path).status_code
            found.append(len(captured))
        counts[name] = (*found, status)
    return counts


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
    if not ensure_wrk():
        sys.exit("make bench needs wrk: apt-get install wrk")
    print(f"Benchmark database: {DATABASE_URL}", flush=True)
    generated = subprocess.run(
        [PY, "benchmarks/generate.py"], cwd=ROOT, env=ENV, capture_output=True, text=True, check=True
    ).stdout
    print(generated, end="", flush=True)
    subprocess.run([PY, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=ENV, check=True)
    shutil.rmtree(Path(tempfile.gettempdir()) / "newsroom-fragments", ignore_errors=True)

    import django

    django.setup()
    from django.db.models import Max

    from articles.models import Article

    latest = Article.objects.aggregate(Max("pk"))["pk__max"]
    big, small, poster, fresh = (
        Article.objects.select_related("section").get(pk=pk)
        for pk in (latest, latest - 1, latest - 2, latest - 3)
    )
    tag = big.tags.first()
    paths = {
        "home": "/",
        "story, 50 comments": small.get_absolute_url(),
        "story, 5,000 comments": big.get_absolute_url(),
        "story, 5,000 comments, last page": big.get_absolute_url() + "?cpage=100",
        "section": big.section.get_absolute_url(),
        "tag": f"/tag/{tag.slug}/",
        "short URL": small.get_short_path(),
        "feed": "/feeds/rss/",
        "minimal Django view": "/bench/minimal/",
        "search": "/search/?q=bridge",  # last: slow on SQLite, it holds the workers a while after
    }
    queries = count_queries(paths)
    cold_paths = WORK / "cold-paths.txt"
    cold_paths.write_text(
        "\n".join(
            a.get_absolute_url() for a in Article.objects.select_related("section").order_by("-pk")[10:5010]
        )
    )

    gunicorn = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "newsroom.wsgi:application",
            "--bind",
            f"127.0.0.1:{APP_PORT}",
            "--workers",
            str(WORKERS),
            "--forwarded-allow-ips",
            "127.0.0.1",
        ],
        cwd=ROOT,
        env=ENV,
        stdout=subprocess.DEVNULL,
    )
    nginx = None
    rows = []
    try:
        wait_for(APP_PORT)
        conn = http.client.HTTPConnection("127.0.0.1", APP_PORT)
        conn.request("GET", paths["story, 50 comments"])
        story_html = conn.getresponse().read()
        nginx = start_nginx(story_html)
        print(f"Story page: {len(story_html) / 1024:.0f} KB. Each run: wrk -t2 -c32 -d{SECONDS}s", flush=True)

        def run(name, where, port, path, **kwargs):
            result = wrk(port, path, **kwargs)
            result.update(name=name, where=where, rss=worker_rss_mb(gunicorn.pid))
            q = queries.get(name)
            result["queries"] = f"{q[0]} / {q[1]}" if q else "–"
            rows.append(result)
            print(
                f"  {where:<14} {name:<34} {result['rps']:>9.0f} req/s, {result['errors']} errors", flush=True
            )

        if nginx:
            run("static file, same bytes", "nginx", NGINX_PORT, "/bench/file/story.html")
        run(
            "story, cold (5,000 stories)",
            "django",
            APP_PORT,
            "/",
            script=ROOT / "benchmarks/rotate.lua",
            paths=cold_paths,
        )
        for name, path in paths.items():
            run(name, "django", APP_PORT, path)
        time.sleep(10)  # let the workers finish what wrk left queued
        if nginx:
            for name in ("home", "story, 50 comments", "story, 5,000 comments", "section", "tag", "feed"):
                run(name, "nginx", NGINX_PORT, paths[name])
        posting = post_comments(poster.pk, SECONDS)
        posting.update(
            name="post a comment (8 guests)", where="django", rss=worker_rss_mb(gunicorn.pid), queries="–"
        )
        rows.append(posting)
        print(f"  {'django':<14} {posting['name']:<34} {posting['rps']:>9.0f} req/s", flush=True)

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
        gunicorn.terminate()
        gunicorn.wait(timeout=20)
        shutil.rmtree(WORK, ignore_errors=True)

    report = render_report(rows, generated, freshness, len(story_html))
    print(report)
    out = ROOT / "benchmarks" / "results" / f"{datetime.now(UTC):%Y-%m-%d-%H%M}.md"
    out.write_text(report)
    print(f"Written to {out.relative_to(ROOT)}")


def render_report(rows, generated, freshness, story_bytes):
    vendor = "PostgreSQL" if DATABASE_URL.startswith("postgres") else "SQLite"
    has_nginx = any(r["where"] == "nginx" for r in rows)
    nginx_note = "in front, as in deploy/nginx.conf" if has_nginx else "not installed"
    lines = [
        f"# Benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"{os.cpu_count()} CPU cores; {vendor}; gunicorn with {WORKERS} sync workers and the production "
        f"settings; nginx {nginx_note}; "
        f"`wrk -t2 -c32 -d{SECONDS}s`. Story page: {story_bytes / 1024:.0f} KB with 50 comments.",
        "",
        "Queries per request: cold cache / warm (the same settings, one process).",
        "",
        "| Where | Page | req/s | p50 ms | p99 ms | Queries | Worker RSS MB | Errors |",
        "| --- | --- | ---: | ---: | ---: | --- | ---: | ---: |",
    ]
    for r in rows:
        lines.append(
            f"| {r['where']} | {r['name']} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p99']:.1f} | "
            f"{r['queries']} | {r['rss']:.0f} | {r['errors']} |"
        )
    if freshness:
        lines += ["", "Through nginx, an anonymous reader sees:"]
        for what, took in freshness.items():
            lines.append(
                f"- a {what} after {took:.1f} s" if took is not None else f"- a {what}: not within 30 s"
            )
    lines += ["", "Data set:", "", "```", generated.strip(), "```", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
