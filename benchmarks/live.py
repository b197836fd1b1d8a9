# ruff: noqa: S603 - runs this interpreter on our own module.
"""The live step of `make bench`: 5,000 readers on one story's live comments (docs/performance.md).

The production stack of docs/deploy.md on 127.0.0.1: two gunicorn app servers and two uvicorn
stream servers (newsroom.asgi) on the benchmark's database, one Redis between them, nginx with
deploy/nginx.conf in front (the pages to gunicorn, the streams to uvicorn). A client process
(live_readers.py) opens BENCH_LIVE_READERS streams to one story through nginx; nginx spreads them
over both stream servers. Then POSTS comments are posted a second apart, alternately through app
server A and B, as a guest posts them (CSRF cookie and token, the form's signed time), while wrk
reads the same story's page through nginx's micro-cache. Each delay is from the moment the post
was sent (before its answer; the answer often comes after the event) to the moment the event
reached a reader. Readers hold their streams throughout: every reader must get every comment once.

    .venv/bin/python -m benchmarks.live      # alone, on the data set `make bench` made

BENCH_REDIS_URL (default redis://127.0.0.1:6379/15) is the Redis it uses; without one answering
the step is left out, saying why.
"""

import http.client
import json
import os
import re
import resource
import secrets
import subprocess
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

import redis

from benchmarks import load
from benchmarks.config import ENV, PY, ROOT
from benchmarks.servers import Gunicorn, Nginx, Uvicorn, fetch, free_port

READERS = int(os.environ.get("BENCH_LIVE_READERS", "5000"))
POSTS = 20
INTERVAL = 1.0  # seconds between posts
STRAGGLERS = 3.0  # seconds after the last post before the readers stop
APP_WORKERS = 3  # each of the two app servers: 6 sync workers on 2 cores in all
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
TICKS = os.sysconf("SC_CLK_TCK")


def redis_problem():
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        return f"no Redis at {REDIS_URL} ({error})"
    return None


def raise_file_limit():
    """Every process started from here may hold as many sockets as the hard limit allows."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


def _children():
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                status = (entry / "status").read_text()
            except OSError:
                continue
            parent = re.search(r"^PPid:\s+(\d+)", status, re.M)
            found.setdefault(int(parent[1]), []).append(int(entry.name))
    return found


def family(pid, children=None):
    """`pid` and its descendants."""
    children = _children() if children is None else children
    todo, found = [pid], []
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def usage(pids):
    """(CPU seconds so far, resident MB now) of these processes."""
    cpu = rss = 0.0
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        cpu += (int(stat[11]) + int(stat[12])) / TICKS
        found = re.search(r"^VmRSS:\s+(\d+)", status, re.M)
        rss += int(found[1]) / 1024 if found else 0
    return cpu, rss


def redis_pid():
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and (entry / "comm").read_text().strip() == "redis-server":
                return int(entry.name)
        except OSError:
            continue
    return None


class Poster:
    """A guest on app server `port`: its CSRF cookie and token from /csrf/, as the page's script."""

    def __init__(self, port, article_id):
        self.port, self.article_id = port, article_id
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", "/csrf/")
        response = conn.getresponse()
        self.token = json.loads(response.read())["token"]
        self.cookie = response.getheader("Set-Cookie").split(";")[0]

    def post(self, n):
        """(comment id or None, sent at, seconds until the answer)."""
        from comments.forms import make_token

        form = {
            "name": "Live bench",
            "email": "live-bench@example.com",
            "body": f"Live comment {n} {secrets.token_hex(4)}.",
            "website": "",
            "token": make_token(self.article_id, time.time() - 10),
            "csrfmiddlewaretoken": self.token,
        }
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        sent = time.time()
        conn.request(
            "POST",
            f"/comments/{self.article_id}/post/",
            urllib.parse.urlencode(form),
            {"Content-Type": "application/x-www-form-urlencoded", "Cookie": self.cookie},
        )
        response = conn.getresponse()
        response.read()
        took = time.time() - sent
        found = re.search(r"#comment-(\d+)$", response.getheader("Location") or "")
        return (int(found[1]) if response.status == 302 and found else None), sent, took


def percentile(values, share):
    return values[min(len(values) - 1, int(len(values) * share))] if values else float("nan")


def measure(story, work):
    """The live step's figures, or {"skipped": why}."""
    problem = redis_problem()
    if problem:
        return {"skipped": problem}
    limit = raise_file_limit()
    work = Path(work) / "live"
    work.mkdir(exist_ok=True)
    env = {
        **ENV,
        "REDIS_URL": REDIS_URL,
        "COMMENTS_STREAM": "true",
        "COMMENTS_STREAM_CHANNEL": f"bench:comments:{secrets.token_hex(4)}",
    }
    path, stream_path = story.get_absolute_url(), f"/comments/{story.pk}/stream/"
    servers, client = [], None
    try:
        apps = [Gunicorn(free_port(port), work, env=env, workers=APP_WORKERS) for port in (8771, 8772)]
        servers += apps
        streams = [Uvicorn(free_port(port), env) for port in (8773, 8774)]
        servers += streams
        nginx = Nginx(work, free_port(8775), [a.port for a in apps], [s.port for s in streams])
        servers.append(nginx)
        fetch(nginx.port, path)
        print(f"  live: the story page through nginx, {load.SECONDS} s without readers", flush=True)
        before = load.wrk(nginx.port, [path], work)

        # Their cursor: now, so the streams start with nothing to catch up on.
        since = int(time.time() * 1_000_000)
        orders = {
            "port": nginx.port,
            "path": f"{stream_path}?since={since}",
            "readers": READERS,
            "opening": 100,
        }
        print(f"  live: opening {READERS:,} streams through nginx (file limit {limit:,})", flush=True)
        opening = time.monotonic()
        client = subprocess.Popen(
            [PY, "-m", "benchmarks.live_readers"], cwd=ROOT, env=ENV, stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        client.stdin.write(json.dumps(orders) + "\n")
        client.stdin.flush()
        held = int(client.stdout.readline().split()[1])
        opened_in = time.monotonic() - opening
        print(f"  live: {held:,} streams held after {opened_in:.1f} s; posting {POSTS} comments", flush=True)

        posters = [Poster(app.port, story.pk) for app in apps]
        groups = {
            "nginx": family(nginx.process.pid),
            "gunicorn ×2": family(apps[0].process.pid) + family(apps[1].process.pid),
            "uvicorn ×2": [s.process.pid for s in streams],
            "readers (client)": [client.pid],
            "redis": [pid] if (pid := redis_pid()) else [],
        }
        start_usage = {name: usage(pids) for name, pids in groups.items()}
        started = time.monotonic()
        window = POSTS * INTERVAL + STRAGGLERS
        during = {}
        wrk = threading.Thread(target=lambda: during.update(load.wrk(nginx.port, [path], work, int(window))))
        wrk.start()
        posts = []
        for n in range(POSTS):
            pk, sent, took = posters[n % 2].post(n)
            posts.append({"id": pk, "sent": sent, "took": took, "via": "AB"[n % 2]})
            time.sleep(max(0.0, started + (n + 1) * INTERVAL - time.monotonic()))
        wrk.join()
        seconds = time.monotonic() - started
        end_usage = {name: usage(pids) for name, pids in groups.items()}
        client.stdin.write("stop\n")
        client.stdin.flush()
        seen = json.loads(client.communicate(timeout=120)[0].strip().splitlines()[-1])
        client = None
    finally:
        if client is not None:
            client.kill()
        for server in reversed(servers):
            server.stop()

    delays, by_server, received = [], {"A": [], "B": []}, 0
    for post in posts:
        arrivals = seen["arrivals"].get(str(post["id"]), []) if post["id"] else []
        received += len(arrivals)
        late = [arrival - post["sent"] for arrival in arrivals]
        delays += late
        by_server[post["via"]] += late
    delays.sort()
    acknowledged = [p for p in posts if p["id"]]
    return {
        "readers": READERS,
        "held": seen["held"],
        "held_at_end": seen["held_at_end"],
        "closed_meanwhile": seen["closed_meanwhile"],
        "failed": seen["failed"],
        "statuses": seen["statuses"],
        "opened_in": opened_in,
        "posts": POSTS,
        "posted": len(acknowledged),
        "post_p50": percentile(sorted(p["took"] for p in posts), 0.5),
        "post_max": max(p["took"] for p in posts),
        "expected": seen["held"] * len(acknowledged),
        "received": received,
        "duplicates": seen["duplicates"],
        "p50": percentile(delays, 0.5),
        "p95": percentile(delays, 0.95),
        "p99": percentile(delays, 0.99),
        "max": delays[-1] if delays else float("nan"),
        "within_2s": sum(d <= 2.0 for d in delays) / len(delays) if delays else 0.0,
        "p95_by_server": {via: percentile(sorted(found), 0.95) for via, found in by_server.items()},
        "page_before": before,
        "page_during": during,
        "seconds": seconds,
        "usage": {
            name: {
                "cpu": (end_usage[name][0] - start_usage[name][0]) / seconds * 100,
                "rss": end_usage[name][1],
                "processes": len(groups[name]),
            }
            for name in groups
        },
        "app_workers": APP_WORKERS,
    }


def main():
    from benchmarks import dataset, report
    from benchmarks.config import setup_django

    setup_django()
    _meta, stories = dataset.load()
    work = Path(tempfile.mkdtemp(prefix="newsroom-live-"))
    work.chmod(0o755)
    found = measure(stories["poster"], work)
    print("\n".join(report.live_table(found)))


if __name__ == "__main__":
    main()
