# ruff: noqa: S603 - runs this interpreter on our own modules.
"""`make bench`: the application, which keeps nothing between requests, measured against its anchors.

1. Data (generate.py, dataset.py): 100,000 stories and 1,000,000 published comments, each stored
   with its drawn entry, made once in benchmarks/bench.sqlite3 or BENCH_DATABASE_URL (a
   PostgreSQL database is created when missing); made again (SQLite) or refused (PostgreSQL)
   when another generator, other sizes or another entry template made it.
2. Queries per reader page (queries.py) and the cold story page against the minimal view in one
   process, Django's WSGI handler called directly (inprocess.py), each in a process of its own.
3. gunicorn as `make serve` runs it (servers.py: production settings, 5 sync workers on 2 cores)
   plus the minimal view of benchmarks/urls.py, and nginx with deploy/nginx.conf in front
   (nginx_conf.py), which also serves one story page's bytes as a file.
4. wrk (load.py): the cold story page against the minimal view, both going through the same
   thousands of 50-comment stories; the same story warm through nginx's micro-cache against the
   file; home, section, tag, author, search and feed pages against the minimal view; the
   5,000-comment story and its last comment page; short URLs. Then eight guests posting comments,
   the worst-case search, and how soon a new comment and a story edit reach an anonymous reader
   through nginx (writes.py).
5. The report (targets.py, report.py): every target with its ratio, met or not met, on the screen
   and in benchmarks/results/<date>-<database>.md.

    make bench          # or: .venv/bin/python -m benchmarks.run
"""

import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from benchmarks import dataset, live, load, report, writes
from benchmarks.config import ENV, KIND, PY, ROOT, database_label, run_module, setup_django
from benchmarks.servers import Gunicorn, Nginx, ensure_tool, fetch, free_port, settle

SAMPLE = 500  # paths a rotating list page goes through
# A word of every story's text (dataset.WORDS): the search that matches all of them.
WORST_SEARCH = "/search/?q=bridge"


def reader_paths(stories):
    """name → (label, paths): what each row asks for; rotating rows have many paths."""
    from django.conf import settings
    from django.urls import reverse
    from taggit.models import Tag

    from articles.models import Author, Section

    rotation = list(stories["rotation"])
    random.Random(1).shuffle(rotation)  # any part of the list is spread over every id
    big = stories["big"].get_absolute_url()
    last_page = -(-stories["big"].comment_count // settings.COMMENTS_PER_PAGE)
    return {
        "story": ("story, 50 comments, cold", [a.get_absolute_url() for a in rotation]),
        "minimal": ("minimal view, same stories", [f"/bench/minimal/{a.pk}/" for a in rotation]),
        "home": ("home", ["/"]),
        "section": ("section", [s.get_absolute_url() for s in Section.objects.all()]),
        "tag": ("tag", [reverse("articles:tag", args=[t.slug]) for t in Tag.objects.order_by("pk")[:SAMPLE]]),
        "author": ("author", [a.get_absolute_url() for a in Author.objects.order_by("pk")[:SAMPLE]]),
        # A story's number: one match each (every story's text holds every word of dataset.WORDS).
        "search": ("search, one match", [f"/search/?q={a.pk}" for a in rotation[:SAMPLE]]),
        "feed": ("RSS feed", ["/feeds/rss/"]),
        "big": ("story, 5,000 comments", [big]),
        "big last": ("story, 5,000 comments, last comment page", [f"{big}?cpage={last_page}"]),
        "short": ("short URL (301)", [a.get_short_path() for a in rotation[:SAMPLE]]),
    }


class Runs:
    """wrk runs, each a row with its page size, query counts and the workers' memory after it."""

    def __init__(self, app, paths, queries, work):
        self.app, self.paths, self.queries, self.work = app, paths, queries, work

    def row(self, name, group, *, port=None, where="gunicorn", paths=None, label=None, memory=True):
        """A function that measures row `name` (load.best_of_two takes several)."""
        port, paths = port or self.app.port, paths or self.paths[name][1]
        label = label or self.paths[name][0]

        def once():
            settle(self.app.port, self.paths["short"][1][0])  # nothing left queued by the last run
            sample = paths[:5]
            kb = sum(len(fetch(port, path)[1]) for path in sample) / len(sample) / 1024
            result = load.wrk(port, paths, self.work)
            found = self.queries.get(name, {}).get("queries")
            rss = self.app.worker_rss_mb() if memory else None
            result.update(group=group, where=where, label=label, kb=kb, queries=found, rss=rss)
            print(
                f"  {where:<18} {label:<42} {result['rps']:>9,.0f} req/s, {result['errors']} errors",
                flush=True,
            )
            return result

        return once


def measure(paths, stories, work, has_nginx):
    """Everything the report shows but the data set, into `results`."""
    dataset.warm()
    results = {"paths": {name: found[0] for name, (_, found) in paths.items()}}
    print("Counting queries per reader page", flush=True)
    results["queries"] = run_module("benchmarks.queries", results["paths"])
    print("The story page and the minimal view in one process", flush=True)
    pairs = list(zip(paths["story"][1], paths["minimal"][1], strict=True))
    results["inprocess"] = run_module("benchmarks.inprocess", {"pairs": pairs})

    app, nginx = Gunicorn(free_port(8765), work), None
    rows = results["rows"] = {}
    try:
        nginx = Nginx(work, free_port(8766), app.port) if has_nginx else None
        story, minimal = (fetch(app.port, paths[name][1][0])[1] for name in ("story", "minimal"))
        results["bytes"] = {"story": len(story), "minimal": len(minimal)}
        results["shown"] = {
            "story": story.count(b"data-comment-id="),
            "minimal": minimal.count(b'class="comment"'),
        }
        print(
            f"Each run: wrk -t{load.THREADS} -c{load.CONNECTIONS} -d{load.SECONDS}s on 127.0.0.1", flush=True
        )
        runs = Runs(app, paths, results["queries"], work)
        rows["minimal"], rows["story"] = load.best_of_two(
            runs.row("minimal", "cold"), runs.row("story", "cold")
        )
        if nginx:
            warm = paths["story"][1][0]
            nginx.serve_file("story.html", fetch(nginx.port, warm)[1])
            rows["nginx file"], rows["nginx story"] = load.best_of_two(
                runs.row(
                    "nginx file",
                    "cold",
                    port=nginx.port,
                    where="nginx, a file",
                    paths=["/bench/file/story.html"],
                    label="the same story's bytes as a static file",
                    memory=False,
                ),
                runs.row(
                    "nginx story",
                    "cold",
                    port=nginx.port,
                    where="nginx → gunicorn",
                    paths=[warm],
                    label="story, 50 comments, warm micro-cache",
                ),
            )
        for name in ("home", "section", "tag", "author", "search", "feed", "big", "big last", "short"):
            rows[name] = runs.row(name, "pages")()
        settle(app.port, paths["short"][1][0])
        results["posting"] = {
            **writes.post_comments(app.port, stories["poster"].pk, load.SECONDS),
            "guests": 8,
        }
        settle(app.port, paths["short"][1][0])
        results["search_all"] = (WORST_SEARCH, worst_search(app.port, WORST_SEARCH))
        results["freshness"] = writes.freshness(nginx.port, stories["fresh"]) if nginx else {}
        results["rss"] = max([app.worker_rss_mb()] + [r["rss"] for r in rows.values() if r["rss"]])
    finally:
        if nginx:
            nginx.stop()
        app.stop()
    if has_nginx:
        print(f"Live comments: {live.READERS:,} readers on one story", flush=True)
        results["live"] = live.measure(stories["poster"], work)
    return results


def worst_search(port, path):
    started = time.monotonic()
    try:
        status = fetch(port, path)[0]
        return f"HTTP {status} after {time.monotonic() - started:.2f} s"
    except OSError as error:
        return f"no answer after {time.monotonic() - started:.0f} s ({error!r})"


def main():
    began, load_before = time.monotonic(), os.getloadavg()[0]
    if not ensure_tool("wrk"):
        sys.exit("make bench needs wrk: apt-get install wrk")
    has_nginx = ensure_tool("nginx")
    if not has_nginx:
        print("nginx is not installed: its rows and the freshness check are left out.", flush=True)
    print(f"Benchmark database: {database_label()}", flush=True)
    dataset.ensure_database()
    subprocess.run([PY, "-m", "benchmarks.generate"], cwd=ROOT, env=ENV, check=True)
    subprocess.run([PY, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=ENV, check=True)
    setup_django()
    from django.db import connection

    meta, stories = dataset.load()
    paths = reader_paths(stories)
    work = Path(tempfile.mkdtemp(prefix="newsroom-bench-"))
    work.chmod(0o755)  # nginx's workers (nobody) read and write below it
    try:
        results = measure(paths, stories, work, has_nginx)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    vendor = f"{connection.display_name} {'.'.join(map(str, connection.get_database_version()))}"
    results.update(
        meta=meta, vendor=vendor, when=datetime.now(UTC), took=time.monotonic() - began, load=load_before
    )
    text = report.render(results)
    print(text)
    out = ROOT / "benchmarks" / "results" / f"{results['when']:%Y-%m-%d-%H%M}-{KIND}.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text(text)
    print(f"Written to {out.relative_to(ROOT)} ({results['took']:.0f} s in all)")


if __name__ == "__main__":
    main()
