# ruff: noqa: S603, S607 - runs wrk by name, on purpose.
"""wrk against a server on 127.0.0.1: requests per second, median and 99th percentile, errors."""

import hashlib
import os
import re
import subprocess
from pathlib import Path

from benchmarks.config import SECONDS

ROTATE = Path(__file__).with_name("rotate.lua")
THREADS, CONNECTIONS = 2, 32


def ms(text):
    """wrk's "812.00us", "1.20ms", "2.01s" in milliseconds."""
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def parse(out):
    """wrk --latency's report as a dict; errors are answers other than 2xx/3xx plus connections
    that failed or timed out."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))
    p99 = ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = (int(bad.group(1)) if bad else 0) + (sum(map(int, sockets.groups())) if sockets else 0)
    return {"rps": rps, "p50": p50, "p99": p99, "requests": requests, "errors": errors}


def wrk(port, paths, work, seconds=SECONDS):
    """wrk -t2 -c32 for `seconds`: one path, or each request the next of `paths` (rotate.lua)."""
    command = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    env = dict(os.environ)
    if len(paths) > 1:
        listing = "\n".join(paths)
        name = hashlib.blake2b(listing.encode(), digest_size=6).hexdigest()
        file = Path(work) / f"paths-{name}.txt"
        file.write_text(listing)
        command += ["-s", str(ROTATE)]
        env.update(WRK_PATHS=str(file), WRK_THREADS=str(THREADS))
    command.append(f"http://127.0.0.1:{port}{paths[0]}")
    out = subprocess.run(command, capture_output=True, text=True, env=env, check=False).stdout
    try:
        return parse(out)
    except AttributeError:
        print(out, flush=True)
        return {"rps": 0.0, "p50": float("nan"), "p99": float("nan"), "requests": 0, "errors": -1}


def best_of_two(*measures):
    """Each of `measures` (functions that run wrk) run in turn, twice: A, B, …, A, B, …. Each keeps
    its better run (errors: both runs), so that a burst of work elsewhere on the machine does not
    decide a ratio between them."""
    first = [measure() for measure in measures]
    second = [measure() for measure in measures]
    best = []
    for a, b in zip(first, second, strict=True):
        row = dict(max(a, b, key=lambda r: r["rps"]))
        row["errors"] = a["errors"] + b["errors"]
        best.append(row)
    return best
