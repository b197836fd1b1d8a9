"""Queries per reader page, counted in a process with the benchmark's settings.

The application keeps nothing between requests, so each page is simply asked for twice (the two
counts should be equal) after every page was asked for once: what a worker keeps for its life
(the connection, content types, compiled templates) is no part of a page's cost. Writes are
counted too, from the first request on: a reader's page should make none (a comment entry drawn
under another version would be drawn again and stored).
"""

from benchmarks.config import module_main
from benchmarks.inprocess import Reader

WRITES = ("INSERT", "UPDATE", "DELETE")


def count(payload):
    """payload: {name: path}; answers {name: {"queries": [first, second], "writes": n, "status": s}}."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    reader = Reader()

    def ask(path):
        environ = reader.environ(path)
        with CaptureQueriesContext(connection) as captured:
            status, _body = reader(environ)
        writes = sum(q["sql"].lstrip().upper().startswith(WRITES) for q in captured.captured_queries)
        return len(captured), writes, status

    first = {name: ask(path) for name, path in payload.items()}
    counts = {}
    for name, path in payload.items():
        again = [ask(path), ask(path)]
        counts[name] = {
            "queries": [queries for queries, _, _ in again],
            "writes": first[name][1] + sum(writes for _, writes, _ in again),
            "status": again[-1][2],
        }
    return counts


if __name__ == "__main__":
    module_main(count)
