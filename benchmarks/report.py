"""The benchmark's report in Markdown: the targets first, then every figure beside its anchor."""

import os

from benchmarks.config import KIND, SECONDS, WORKERS, database_label
from benchmarks.load import CONNECTIONS, THREADS
from benchmarks.targets import evaluate

NAMES = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}


def _ms(value):
    return f"{value:.1f}" if value == value else "–"  # NaN: wrk gave none


def wrk_table(rows, minimal, file):
    """One line per wrk row, with its ratio to its anchor: the minimal view for pages from gunicorn,
    nginx serving the file for pages through nginx."""
    lines = [
        "| Where | Page | req/s | Ratio | p50 ms | p99 ms | Errors | Queries | Worker RSS MB | Page KB |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |",
    ]
    for row in rows:
        anchor = file if row["where"].startswith("nginx") else minimal
        if row is anchor or anchor is None:
            ratio = "anchor" if row is anchor else "–"
        elif anchor is file:
            ratio = f"{row['rps'] / file['rps']:.0%} of the file" if file["rps"] else "–"
        else:
            ratio = f"{row['rps'] / minimal['rps']:.2f}×" if minimal["rps"] else "–"
        queries = " / ".join(map(str, row["queries"])) if row.get("queries") else "–"
        rss = f"{row['rss']:.0f}" if row.get("rss") else "–"
        kb = f"{row['kb']:.0f}" if row.get("kb") else "–"
        lines.append(
            f"| {row['where']} | {row['label']} | {row['rps']:,.0f} | {ratio} | {_ms(row['p50'])} | "
            f"{_ms(row['p99'])} | {row['errors']} | {queries} | {rss} | {kb} |"
        )
    return lines


def render(results):
    rows = results["rows"]
    minimal, file = rows["minimal"], rows.get("nginx file")
    targets = evaluate(results)
    met = sum(t.met for t in targets)
    meta, sizes = results["meta"], results["meta"]["sizes"]
    rotation = meta["rotation"]
    inproc = results["inprocess"]
    lines = [
        f"# Benchmark, {results['when']:%Y-%m-%d %H:%M} UTC, {NAMES[KIND]}",
        "",
        f"Database: {database_label()} ({results['vendor']}). {os.cpu_count()} CPU cores; gunicorn with "
        f"{WORKERS} sync workers and the production settings; the application keeps nothing between "
        f"requests; nginx {'with deploy/nginx.conf' if file else 'not installed'}; "
        f"`wrk -t{THREADS} -c{CONNECTIONS} -d{SECONDS}s --latency` on 127.0.0.1. `make bench` took "
        f"{results['took']:.0f} s. Load average (1 min) before it started: {results['load']:.1f} (other "
        "processes busy meanwhile lower every figure).",
        "",
        f"Data set: {sizes['stories']:,} stories, {sizes['comments']:,} published comments, "
        f"{sizes['tags']:,} tags, {sizes['authors']} authors. The cold story rows go through "
        f"{len(rotation):,} stories with {sizes['rotation_comments']} comments each, ids {rotation[0]:,} to "
        f"{rotation[-1]:,} (every {(rotation[-1] - rotation[0]) / (len(rotation) - 1):.0f}th), a "
        "different one on each request; the minimal view goes through the same stories. A story page "
        f"shows {results['shown']['story']} comments and is {results['bytes']['story'] / 1024:.0f} KB; "
        f"the minimal view's page shows {results['shown']['minimal']} and is "
        f"{results['bytes']['minimal'] / 1024:.0f} KB.",
        "",
        *(
            [f"**Not {sizes['rotation_comments']} comments on both pages: the two are not comparable.**", ""]
            if set(results["shown"].values()) != {sizes["rotation_comments"]}
            else []
        ),
        "## Targets",
        "",
        "| Target | Measured | Anchor | Ratio | Goal | Met |",
        "| --- | --- | --- | ---: | --- | --- |",
        *(
            f"| {t.name} | {t.measured} | {t.anchor or '–'} | {t.ratio} | {t.goal} | "
            f"{'met' if t.met else '**not met**'}{f' ({t.note})' if t.note else ''} |"
            for t in targets
        ),
        "",
        f"{met} of {len(targets)} targets met.",
        "",
        "## The cold story page and the minimal view",
        "",
        "Under load (wrk; the two rows measured in turn twice, each showing its better run, errors of both):",
        "",
        *wrk_table([r for r in rows.values() if r["group"] == "cold"], minimal, file),
        "",
        f"In one process (Django's WSGI handler called directly, all middleware, production settings; "
        f"after {inproc['warmup']} pairs of warm-up, a story page and the minimal view of the same "
        "story in turn, a different story each time):",
        "",
        "| Page | Requests | Mean ms | Median ms | × the minimal view (minimal ms / ms) |",
        "| --- | ---: | ---: | ---: | ---: |",
        *(
            f"| {label} | {inproc[name]['requests']} | {inproc[name]['mean']:.2f} | "
            f"{inproc[name]['median']:.2f} | "
            f"{inproc['minimal']['mean'] / inproc[name]['mean']:.2f}× (median "
            f"{inproc['minimal']['median'] / inproc[name]['median']:.2f}×) |"
            for name, label in (("story", "story page, 50 comments"), ("minimal", "minimal view"))
        ),
        "",
        "## Every page",
        "",
        *wrk_table([r for r in rows.values() if r["group"] == "pages"], minimal, file),
        "",
        f"- Post a comment, {results['posting']['guests']} guests in a loop: "
        f"{results['posting']['rps']:,.0f} req/s, p50 {_ms(results['posting']['p50'])} ms, p99 "
        f"{_ms(results['posting']['p99'])} ms, {results['posting']['errors']} errors.",
        f"- Worst-case search, a word in every story's text (`{results['search_all'][0]}`), one request: "
        f"{results['search_all'][1]}.",
        "",
        "Ratio: requests per second against the minimal view's (from gunicorn) or against nginx serving "
        "the page as a file (through nginx). Rows that rotate go through several paths, one after the "
        "other (benchmarks/rotate.lua): stories, sections, tags, authors, search words. Queries: "
        "counted in a process with the same settings, the page asked for twice. Errors: answers other "
        "than 2xx/3xx plus failed or timed-out connections. Page KB: the mean of a sample.",
        "",
        *(live_table(results["live"]) + [""] if results.get("live") else []),
        "## Queries per request",
        "",
        "| Page | Path (first) | Queries (twice) | Writes | Status |",
        "| --- | --- | --- | ---: | ---: |",
        *(
            f"| {name} | `{results['paths'][name]}` | {' / '.join(map(str, found['queries']))} | "
            f"{found['writes']} | {found['status']} |"
            for name, found in results["queries"].items()
        ),
        "",
        "## Data set",
        "",
        f"Made in {meta['seconds']} s by benchmarks/generate.py (version {meta['version']}):",
        "",
        *(f"- {name}: {seconds} s" for name, seconds in meta["steps"]),
        "",
    ]
    return "\n".join(lines)


LIVE_GOAL = 2.0  # seconds: a comment offered to every other reader of the story within it (p95)


def live_table(live):
    """The live step (benchmarks/live.py): delays, readers held, what each process used."""
    lines = ["## Live comments", ""]
    if "skipped" in live:
        return [*lines, f"Left out: {live['skipped']}."]
    before, during = live["page_before"], live["page_during"]
    met = live["p95"] <= LIVE_GOAL and live["received"] == live["expected"] and not live["duplicates"]
    lines += [
        f"{live['held']:,} of {live['readers']:,} readers held one story's stream open through nginx "
        f"(opened in {live['opened_in']:.1f} s; {live['held_at_end']:,} still held at the end, "
        f"{live['closed_meanwhile']} closed meanwhile, {live['failed']} failed: {live['statuses']}), spread "
        f"by nginx over two uvicorn stream servers; {live['posted']} of {live['posts']} comments posted, "
        "one a second, alternately through app server A and B (gunicorn, "
        f"{live['app_workers']} workers each), while wrk read the story page through nginx.",
        "",
        "| Delay, post sent → event at a reader | p50 | p95 | p99 | max | within 2 s |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
        f"| {live['received']:,} events | {live['p50']:.3f} s | {live['p95']:.3f} s | {live['p99']:.3f} s | "
        f"{live['max']:.3f} s | {live['within_2s']:.1%} |",
        "",
        f"- Events expected (readers × comments): {live['expected']:,}; received: {live['received']:,}; "
        f"missed: {live['expected'] - live['received']:,}; shown twice: {live['duplicates']}.",
        f"- p95 delay by the app server posted through: A {live['p95_by_server']['A']:.3f} s, "
        f"B {live['p95_by_server']['B']:.3f} s (each reaching readers on both stream servers).",
        f"- Posting: {live['posted']} of {live['posts']} answered 302, "
        f"median {_ms(live['post_p50'] * 1000)} ms, "
        f"slowest {_ms(live['post_max'] * 1000)} ms.",
        f"- Story page through nginx (warm micro-cache): {before['rps']:,.0f} req/s without readers, "
        f"{during.get('rps', 0):,.0f} req/s with them ({during.get('errors', '?')} errors).",
        f"- Target: p95 ≤ {LIVE_GOAL:.0f} s, nothing missed or shown twice: "
        f"{'met' if met else '**not met**'}.",
        "",
        f"| Process (over the {live['seconds']:.0f} s of posting) | Processes | CPU, % of one core | RSS |",
        "| --- | ---: | ---: | ---: |",
        *(
            f"| {name} | {found['processes']} | {found['cpu']:.0f} % | {found['rss']:,.0f} MB |"
            for name, found in live["usage"].items()
        ),
    ]
    return lines
