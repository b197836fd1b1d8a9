"""Where the time of one story page (50 comments) goes: cold caches against warm, with cProfile.

.venv/bin/python benchmarks/profile_story.py      # uses the benchmark database
"""

import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL")
        or f"sqlite:///{ROOT / 'benchmarks' / 'bench.sqlite3'}",
        "DEBUG": "false",
        "SECRET_KEY": "profile-only-" + "x" * 50,
        "ALLOWED_HOSTS": "testserver",
        "SECURE_SSL_REDIRECT": "false",
    }
)

import django  # noqa: E402

django.setup()

from django.core.cache import caches  # noqa: E402
from django.test import Client  # noqa: E402

from articles.models import Article  # noqa: E402

ROUNDS = 50


def profile(client, path, cold):
    profiler = cProfile.Profile()
    started = time.perf_counter()
    for _ in range(ROUNDS):
        if cold:
            for cache in caches.all():
                cache.clear()
        profiler.enable()
        assert client.get(path).status_code == 200
        profiler.disable()
    took = (time.perf_counter() - started) / ROUNDS * 1000
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(18)
    return took, out.getvalue()


def main():
    story = Article.objects.select_related("section").order_by("-pk")[1]
    path = story.get_absolute_url()
    client = Client()
    client.get(path)  # templates compiled, connection open
    for label, cold in (("cold caches (every request renders everything)", True), ("warm caches", False)):
        took, report = profile(client, path, cold)
        print(f"## {label}: {took:.1f} ms per request\n")
        lines = [line for line in report.splitlines() if line.strip()]
        start = next(i for i, line in enumerate(lines) if "ncalls" in line)
        print("```")
        print("\n".join(line.replace(str(ROOT) + "/", "") for line in lines[start:]))
        print("```\n")


if __name__ == "__main__":
    main()
