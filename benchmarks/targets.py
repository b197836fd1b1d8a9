"""The performance targets, each measured against its anchor: met or not met.

`results` is what run.py gathered: rows of wrk runs by name, the in-process timings, the query
counts, the worker memory and the freshness check.
"""

from dataclasses import dataclass

from benchmarks.writes import VISIBLE_WITHIN

# The pages the list target names, as run.py names their rows.
LIST_PAGES = ("home", "section", "tag", "author", "search", "feed")
MAX_QUERIES = 8
MAX_RSS_MB = 80
NGINX_SHARE = 0.8
FRESH_SECONDS = 5
NO_NGINX = "not measured: nginx is not installed"


@dataclass
class Target:
    name: str
    measured: str
    anchor: str
    ratio: str
    goal: str
    met: bool
    note: str = ""


def _errors(*rows):
    errors = sum(abs(row["errors"]) for row in rows)
    return f"{errors} errors in these runs: not comparable" if errors else ""


def against_minimal(name, row, minimal, goal, aim=None):
    ratio = row["rps"] / minimal["rps"] if minimal["rps"] else 0.0
    note = _errors(row, minimal)
    return Target(
        name=name,
        measured=f"{row['rps']:,.0f} req/s",
        anchor=f"minimal view {minimal['rps']:,.0f} req/s",
        ratio=f"{ratio:.2f}×",
        goal=f"≥ {goal:.1f}×" + (f" (aim {aim:.0f}×)" if aim else ""),
        met=ratio >= goal and not note,
        note=note,
    )


def evaluate(results):
    """Every target, in the order of the brief: the cold story page, list pages, nginx, queries,
    memory, freshness."""
    rows, targets = results["rows"], []
    minimal = rows["minimal"]
    targets.append(against_minimal("Cold story page, 50 comments (wrk)", rows["story"], minimal, 1.0, 2))
    inproc = results["inprocess"]
    story_ms, minimal_ms = inproc["story"]["mean"], inproc["minimal"]["mean"]
    ratio = minimal_ms / story_ms if story_ms else 0.0
    failed = inproc["story"]["not_200"] + inproc["minimal"]["not_200"]
    targets.append(
        Target(
            name="Cold story page, 50 comments (in process, one worker)",
            measured=f"{story_ms:.2f} ms",
            anchor=f"minimal view {minimal_ms:.2f} ms",
            ratio=f"{ratio:.2f}×",
            goal="≥ 1.0× (aim 2×)",
            met=ratio >= 1.0 and not failed,
            note=f"{failed} answers were not 200" if failed else "",
        )
    )
    for page in LIST_PAGES:
        targets.append(
            against_minimal(f"{rows[page]['label']}, nothing kept (wrk)", rows[page], minimal, 1.0)
        )
    if "nginx story" in rows:
        cached, file = rows["nginx story"], rows["nginx file"]
        share = cached["rps"] / file["rps"] if file["rps"] else 0.0
        note = _errors(cached, file)
        targets.append(
            Target(
                name="Story through nginx's micro-cache, warm",
                measured=f"{cached['rps']:,.0f} req/s",
                anchor=f"nginx serving the same bytes as a file {file['rps']:,.0f} req/s",
                ratio=f"{share:.0%}",
                goal=f"≥ {NGINX_SHARE:.0%}",
                met=share >= NGINX_SHARE and not note,
                note=note,
            )
        )
    else:
        targets.append(
            Target(
                "Story through nginx's micro-cache, warm", NO_NGINX, "", "–", f"≥ {NGINX_SHARE:.0%}", False
            )
        )
    reader = {name: found for name, found in results["queries"].items() if name != "minimal"}
    worst = max(reader, key=lambda name: max(reader[name]["queries"]))
    most = max(reader[worst]["queries"])
    writes = sum(found["writes"] for found in reader.values())
    targets.append(
        Target(
            name="Queries per reader page",
            measured=f"at most {most} ({worst})",
            anchor="",
            ratio="–",
            goal=f"≤ {MAX_QUERIES}",
            met=most <= MAX_QUERIES,
            note=f"{writes} writes while reading" if writes else "",
        )
    )
    targets.append(
        Target(
            name="Worker memory (largest RSS of the gunicorn workers, after every run)",
            measured=f"{results['rss']:.0f} MB",
            anchor="",
            ratio="–",
            goal=f"≤ {MAX_RSS_MB} MB",
            met=0 < results["rss"] <= MAX_RSS_MB,
        )
    )
    for what in ("new comment", "story edit"):
        seconds = results["freshness"].get(what, NO_NGINX)
        if seconds is None:
            seconds = f"not within {VISIBLE_WITHIN} s"
        targets.append(
            Target(
                name=f"A {what} visible to an anonymous reader through nginx",
                measured=seconds if isinstance(seconds, str) else f"{seconds:.1f} s",
                anchor="",
                ratio="–",
                goal=f"≤ {FRESH_SECONDS} s",
                met=not isinstance(seconds, str) and seconds <= FRESH_SECONDS,
            )
        )
    return targets
