"""Where the time of one story page (50 comments) goes, with cProfile, in three states:

- nothing cached: no page cache and no fragment (FRAGMENT_CACHE_SECONDS=0), every request draws
  everything, as before the speed work;
- no page cache: the page drawn from the kept fragments (PAGE_CACHE=false);
- the page cache, as an anonymous reader gets the page while nothing on it changes;

and the minimal view of the same story (benchmarks/urls.py) for comparison.

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
STATES = [
    ("nothing cached (every request draws everything)", {"PAGE_CACHE": False, "FRAGMENT_CACHE_SECONDS": 0}),
    ("no page cache (drawn from the kept fragments)", {"PAGE_CACHE": False}),
    ("page cache (an anonymous reader, nothing changed)", {}),
]


def profile(client, path):
    client.get(path)  # what this state keeps is kept
    profiler = cProfile.Profile()
    took = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        profiler.enable()
        assert client.get(path).status_code == 200
        profiler.disable()
        took.append(time.perf_counter() - started)
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(14)
    return sorted(took)[ROUNDS // 2] * 1000, out.getvalue()


def report(label, took, text):
    print(f"## {label}: {took:.1f} ms per request (median, cProfile's own overhead included)\n")
    lines = [line for line in text.splitlines() if line.strip()]
    start = next(i for i, line in enumerate(lines) if "ncalls" in line)
    print("```")
    print(
        "\n".join(
            line.replace(str(ROOT) + "/", "").replace(".venv/lib/python3.13/site-packages/", "")
            for line in lines[start:]
        )
    )
    print("```\n")


def main():
    from django.test import override_settings

    story = Article.objects.select_related("section").order_by("-pk")[1]
    path = story.get_absolute_url()
    client = Client()
    client.get(path)  # templates compiled, connection open
    for label, overrides in STATES:
        for cache in caches.all():
            cache.clear()
        with override_settings(**overrides):
            report(label, *profile(client, path))
    report("minimal view of the same story", *profile(client, f"/bench/minimal/{story.pk}/"))


if __name__ == "__main__":
    main()
