"""The cold story page against the minimal view in one process, with no server and no network.

One process is what one gunicorn worker does for a request: Django's WSGI handler is called
directly with a WSGI environ, with the production settings (benchmarks.settings, DEBUG off) and
every middleware. After a warm-up (connection open, templates compiled: what a worker keeps for
its life), the story page and the minimal view of the same story are asked for in turn, a
different story each time, so that both see the same database work and the same noise.

run.py runs it in a process of its own (config.run_module); profile_story.py uses Reader.
"""

import os
import statistics
import time

from benchmarks.config import module_main

REQUESTS = int(os.environ.get("BENCH_INPROCESS_REQUESTS", "500"))
WARMUP = 20


class Reader:
    """Anonymous GET requests through Django's WSGIHandler, as gunicorn makes them."""

    def __init__(self):
        from django.core.handlers.wsgi import WSGIHandler
        from django.test import RequestFactory

        self.app, self.factory = WSGIHandler(), RequestFactory()

    def environ(self, path):
        return self.factory.get(path).environ

    def __call__(self, environ):
        """The response's status code and body."""
        status = []
        response = self.app(environ, lambda line, headers, exc_info=None: status.append(line))
        try:
            body = b"".join(response)
        finally:
            response.close()  # request_finished, as the WSGI server sends it
        return int(status[0].split()[0]), body


def summary(seconds, statuses):
    ms = [s * 1000 for s in seconds]
    bad = sum(status != 200 for status in statuses)
    return {
        "mean": statistics.fmean(ms),
        "median": statistics.median(ms),
        "requests": len(ms),
        "not_200": bad,
    }


def measure(payload):
    """payload: {"pairs": [[story path, minimal view path], ...]}; the last WARMUP pairs warm up,
    then up to REQUESTS of the others are timed."""
    reader, pairs = Reader(), payload["pairs"]
    for pair in pairs[-WARMUP:]:
        for path in pair:
            reader(reader.environ(path))
    took = {"story": [], "minimal": []}
    statuses = {"story": [], "minimal": []}
    for pair in pairs[:-WARMUP][:REQUESTS]:
        for name, path in zip(("story", "minimal"), pair, strict=True):
            environ = reader.environ(path)
            started = time.perf_counter()
            status, _body = reader(environ)
            took[name].append(time.perf_counter() - started)
            statuses[name].append(status)
    return {**{name: summary(took[name], statuses[name]) for name in took}, "warmup": len(pairs[-WARMUP:])}


if __name__ == "__main__":
    module_main(measure)
