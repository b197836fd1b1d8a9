"""Where the time of the cold story page goes, next to the minimal view of the same stories.

One process, as inprocess.py measures it: Django's WSGI handler with the production settings
(benchmarks.settings), every middleware, nothing kept between requests, a different 50-comment
story on each request (the data set's rotation set); then the minimal view of the same stories.
For each: ms per request without the profiler, then with cProfile and its top functions by own
time (PROFILE_SORT=cumulative for the other view). Markdown, ready for docs/performance.md.

    .venv/bin/python -m benchmarks.profile_story      # on the database `make bench` made
    PROFILE_REQUESTS=200 PROFILE_TOP=30 .venv/bin/python -m benchmarks.profile_story
"""

import cProfile
import io
import os
import pstats
import random
import re
import statistics
import sysconfig
import time

from benchmarks.config import ROOT, database_label, setup_django

REQUESTS = int(os.environ.get("PROFILE_REQUESTS", "100"))
TOP = int(os.environ.get("PROFILE_TOP", "20"))
SORT = os.environ.get("PROFILE_SORT", "tottime")
WARMUP = 20


def timed(reader, paths):
    """Milliseconds of each request, no profiler."""
    took = []
    for path in paths:
        environ = reader.environ(path)
        started = time.perf_counter()
        status, _body = reader(environ)
        took.append((time.perf_counter() - started) * 1000)
        assert status == 200, f"{path}: HTTP {status}"
    return took


def profiled(reader, paths):
    """Milliseconds of each request under cProfile, and the profile's top functions."""
    profiler, took = cProfile.Profile(), []
    for path in paths:
        environ = reader.environ(path)
        started = time.perf_counter()
        profiler.enable()
        reader(environ)
        profiler.disable()
        took.append((time.perf_counter() - started) * 1000)
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats(SORT).print_stats(TOP)
    lines = [line for line in out.getvalue().splitlines() if line.strip()]
    table = lines[next(i for i, line in enumerate(lines) if "ncalls" in line) :]
    # Paths from the checkout and from site-packages, no memory addresses: the same on any machine.
    for prefix in (sysconfig.get_paths()["purelib"] + "/", f"{ROOT}/"):
        table = [line.replace(prefix, "") for line in table]
    return took, re.sub(r" at 0x[0-9a-f]+", "", "\n".join(table))


def main():
    setup_django()
    from benchmarks import dataset
    from benchmarks.inprocess import Reader

    _meta, stories = dataset.load()
    dataset.warm()
    rotation = list(stories["rotation"])
    random.Random(2).shuffle(rotation)
    if len(rotation) < 2 * REQUESTS + WARMUP:
        raise SystemExit(f"The rotation set has {len(rotation)} stories: fewer than {2 * REQUESTS + WARMUP}")
    kinds = {
        "story page, 50 comments, cold (nothing kept)": [a.get_absolute_url() for a in rotation],
        "minimal view of the same stories": [f"/bench/minimal/{a.pk}/" for a in rotation],
    }
    reader = Reader()
    for paths in kinds.values():
        timed(reader, paths[-WARMUP:])  # connection open, templates compiled: a worker's lifetime
    print(f"Database: {database_label()}; {REQUESTS} requests each, a different story each time.\n")
    for label, paths in kinds.items():
        plain = timed(reader, paths[:REQUESTS])
        took, table = profiled(reader, paths[REQUESTS : 2 * REQUESTS])
        print(
            f"## {label}: {statistics.fmean(plain):.2f} ms per request (median "
            f"{statistics.median(plain):.2f}); under cProfile {statistics.fmean(took):.2f} ms\n"
        )
        print(f"```\n{table}\n```\n")


if __name__ == "__main__":
    main()
