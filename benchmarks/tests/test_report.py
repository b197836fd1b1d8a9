"""wrk's output read right, and a report that says of every target whether it is met."""

import math
from datetime import UTC, datetime

import pytest

from benchmarks import load, report

WRK = """\
Running 2s test @ http://127.0.0.1:8765/
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   180.55ms   20.12ms 300.00ms   80.00%
    Req/Sec    88.50     20.00   120.00     70.00%
  Latency Distribution
     50%  176.50ms
     75%  190.00ms
     90%  200.00ms
     99%    1.20s
  356 requests in 2.00s, 22.50MB read
  Socket errors: connect 0, read 1, write 0, timeout 3
  Non-2xx or 3xx responses: 2
Requests/sec:    178.00
Transfer/sec:     11.25MB
"""


def test_wrk_output_is_read():
    assert load.parse(WRK) == {"rps": 178.0, "p50": 176.5, "p99": 1200.0, "requests": 356, "errors": 6}
    assert load.ms("812.00us") == pytest.approx(0.812)


def row(rps, group="pages", where="gunicorn", label="page"):
    return {
        "rps": rps,
        "p50": 10.0,
        "p99": math.nan,
        "errors": 0,
        "group": group,
        "where": where,
        "label": label,
        "kb": 60.0,
        "queries": [4, 4],
        "rss": 70.0,
    }


def results(nginx=True):
    rows = {"minimal": row(100, "cold"), "story": row(250, "cold")}
    rows.update(
        {
            page: row(rps, label=page)
            for page, rps in [
                ("home", 120),
                ("section", 90),
                ("tag", 100),
                ("author", 130),
                ("search", 140),
                ("feed", 150),
            ]
        }
    )
    if nginx:
        rows["nginx file"] = row(50_000, "cold", "nginx, a file")
        rows["nginx story"] = row(45_000, "cold", "nginx → gunicorn")
    queries = {
        "story": {"queries": [7, 7], "writes": 0, "status": 200},
        "minimal": {"queries": [3, 3], "writes": 0, "status": 200},
        "feed": {"queries": [9, 9], "writes": 0, "status": 200},
    }
    inprocess = {
        "story": {"mean": 5.0, "median": 5.0, "requests": 10, "not_200": 0},
        "minimal": {"mean": 10.0, "median": 9.0, "requests": 10, "not_200": 0},
        "warmup": 20,
    }
    meta = {
        "version": 2,
        "seconds": 90.0,
        "steps": [["stories", 3.0]],
        "rotation": [1, 21, 41],
        "sizes": {"stories": 100, "comments": 2000, "tags": 10, "authors": 5, "rotation_comments": 50},
    }
    return {
        "rows": rows,
        "queries": queries,
        "inprocess": inprocess,
        "meta": meta,
        "rss": 75.0,
        "freshness": {"new comment": 3.5, "story edit": None} if nginx else {},
        "paths": {name: f"/{name}/" for name in queries},
        "vendor": "SQLite 3.40.1",
        "when": datetime(2026, 11, 29, tzinfo=UTC),
        "took": 100.0,
        "load": 0.5,
        "bytes": {"story": 70_000, "minimal": 60_000},
        "shown": {"story": 50, "minimal": 50},
        "posting": {"rps": 60.0, "p50": 30.0, "p99": 90.0, "errors": 0, "guests": 8},
        "search_all": ("/search/?q=bridge", "HTTP 200 after 0.01 s"),
    }


def target_lines(text):
    table = text.split("## Targets")[1].split("targets met")[0]
    return {line.split(" | ")[0].lstrip("| "): line for line in table.splitlines() if line.startswith("| ")}


def test_every_target_is_met_or_not_met_with_its_ratio():
    lines = target_lines(report.render(results()))

    assert (
        "| 250 req/s | minimal view 100 req/s | 2.50× | ≥ 1.0× (aim 2×) | met |"
        in lines["Cold story page, 50 comments (wrk)"]
    )
    assert "| 2.00× |" in lines["Cold story page, 50 comments (in process, one worker)"]
    assert "0.90× | ≥ 1.0× | **not met** |" in lines["section, nothing kept (wrk)"]
    assert "| 90% | ≥ 80% | met |" in lines["Story through nginx's micro-cache, warm"]
    assert "at most 9 (feed)" in lines["Queries per reader page"]
    assert "**not met**" in lines["Queries per reader page"]
    assert "| 75 MB |" in lines["Worker memory (largest RSS of the gunicorn workers, after every run)"]
    assert "not within 30 s" in lines["A story edit visible to an anonymous reader through nginx"]


def test_pages_that_do_not_show_fifty_comments_are_called_out():
    shown = {**results(), "shown": {"story": 20, "minimal": 50}}

    assert "**Not 50 comments on both pages: the two are not comparable.**" in report.render(shown)
    assert "not comparable" not in report.render(results())


def test_without_nginx_its_targets_say_they_were_not_measured():
    text = report.render(results(nginx=False))

    assert text.count("not measured: nginx is not installed") == 3
