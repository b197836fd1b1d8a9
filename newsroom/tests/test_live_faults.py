"""Live comments through a Redis restart (`make test-faults`; the setup of test_faults.py).

A gunicorn app server and a uvicorn stream server (newsroom.asgi) on the nr_faults database and a
Redis of the test's own on a free port (restarting the machine's would disturb everything else
using it); fifty readers hold a story's stream and behave as the page's script does: they
reconnect after the `retry:` the stream gave, sending the last event's id (Last-Event-ID), and
while the stream answers 503 they poll `comments:new`, keeping each comment id once. Comments are
posted before, while and after Redis is down. Every reader must end with every comment, none
sent twice on one connection, and no server answers 5xx but the stream's deliberate 503.
"""

import contextlib
import http.client
import json
import secrets
import subprocess
import threading
import time
from pathlib import Path

import pytest
import requests

from newsroom.tests import test_faults
from newsroom.tests.test_faults import (
    BIN,
    ROOT,
    AppServer,
    Served,
    _why_not,
    ensure_services,
    free_port,
    make_articles,
    post,
    wait_for,
)

# test_faults.py's fixtures: asked for with -m faults only, a fresh nr_faults database.
asked_for = test_faults.asked_for
world = test_faults.world

pytestmark = pytest.mark.faults
if (_reason := _why_not()) is not None:
    pytestmark = [pytest.mark.faults, pytest.mark.skip(reason=_reason)]

READERS = 50


class Redis:
    """redis-server on a free port of 127.0.0.1, nothing saved; stop() and start() again."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None
        self.start()

    def ready(self):
        import redis

        try:
            return redis.Redis(port=self.port, socket_connect_timeout=0.5).ping()
        except redis.RedisError:
            return False

    def start(self):
        command = [
            "redis-server",
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)  # noqa: S603, S607
        assert wait_for(self.ready, 10), "redis-server did not start"

    def stop(self):
        self.process.terminate()
        self.process.wait(10)


class StreamServer(Served):
    """uvicorn serving newsroom.asgi on a free port, as docs/deploy.md runs it."""

    def __init__(self, env, log_dir):
        self.port = free_port()
        command = [
            str(BIN / "uvicorn"), "newsroom.asgi:application", "--host", "127.0.0.1",
            "--port", str(self.port), "--no-access-log", "--timeout-graceful-shutdown", "2",
        ]  # fmt: skip
        log = Path(log_dir) / f"uvicorn-{self.port}.log"
        with open(log, "wb") as output:
            url = f"http://127.0.0.1:{self.port}/csrf/"
            self.start(command, url, log, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)


class PageReader(threading.Thread):
    """One open story page: the stream, and the poll while the stream is refused."""

    def __init__(self, stream_port, app_base, article_id, since):
        super().__init__(daemon=True)
        self.stream_port, self.app_base, self.article_id = stream_port, app_base, article_id
        self.since, self.last_event_id = since, None
        self.shown, self.twice_on_a_connection, self.errors = set(), 0, []
        self.connected, self.connections, self.polls = threading.Event(), 0, 0
        self.stopping = threading.Event()
        self.conn = None

    def run(self):
        while not self.stopping.is_set():
            retry = self.listen()
            self.stopping.wait(retry)

    def listen(self):
        """One connection; the seconds to wait before the next."""
        headers = {"Accept": "text/event-stream"}
        if self.last_event_id:
            headers["Last-Event-ID"] = self.last_event_id
        try:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.stream_port, timeout=60)
            self.conn.request(
                "GET", f"/comments/{self.article_id}/stream/?since={self.since}", headers=headers
            )
            response = self.conn.getresponse()
        except OSError:
            return 1.0
        if response.status == 503:
            response.read()
            self.poll()
            return 1.0
        if response.status != 200:
            self.errors.append(f"stream {response.status}")
            return 1.0
        self.connections += 1
        self.connected.set()
        retry, event, this_connection = 3.0, {}, set()
        try:
            for raw in response:
                line = raw.decode().rstrip("\n")
                if line.startswith("retry: "):
                    retry = int(line[7:]) / 1000
                elif line and not line.startswith(":"):
                    field, _, value = line.partition(": ")
                    event[field] = value
                elif "data" in event:
                    pk = json.loads(event["data"])["id"]
                    if pk in this_connection:
                        self.twice_on_a_connection += 1
                    this_connection.add(pk)
                    self.shown.add(pk)
                    self.last_event_id = event["id"]
                    self.since = max(self.since, int(event["id"]))
                    event = {}
        except (OSError, ValueError, AttributeError, http.client.HTTPException):
            pass
        self.connected.clear()
        return retry

    def poll(self):
        self.polls += 1
        try:
            answer = requests.get(
                f"{self.app_base}/comments/{self.article_id}/new/", params={"since": self.since}, timeout=10
            )
        except requests.RequestException as error:
            self.errors.append(f"poll {error!r}")
            return
        if answer.status_code != 200:
            self.errors.append(f"poll {answer.status_code}")
            return
        data = answer.json()
        self.shown.update(data["ids"])
        self.since = max(self.since, int(data["since"]))

    def stop(self):
        self.stopping.set()
        if self.conn is not None and self.conn.sock is not None:
            with contextlib.suppress(OSError):
                self.conn.sock.shutdown(2)
        self.join(10)


def test_readers_get_every_comment_once_through_a_redis_restart(world):
    store = Redis()
    env = {**world["env"], "REDIS_URL": store.url, "COMMENTS_STREAM": "true"}
    app = AppServer(env, world["base"], workers=3)
    streams = StreamServer(env, world["base"])
    readers, posted, statuses = [], [], []
    try:
        (article,) = make_articles({**world, "env": env}, 1, "live")
        since = int(time.time() * 1_000_000)
        readers = [PageReader(streams.port, app.base, article["id"], since) for _ in range(READERS)]
        for reader in readers:
            reader.start()
        assert wait_for(lambda: all(r.connected.is_set() for r in readers), 30), "readers did not connect"

        def post_some(label, count):
            for n in range(count):
                answer = post(
                    app.base, article["id"], f"Live {label} {n} {secrets.token_hex(3)}", "192.0.2.90"
                )
                statuses.append(answer.status_code)
                if answer.status_code == 302:
                    posted.append(int(answer.headers["Location"].rsplit("#comment-", 1)[1]))

        post_some("before", 5)
        assert wait_for(lambda: all(len(r.shown) == 5 for r in readers), 10), "before: not everyone got 5"
        store.stop()
        post_some("during", 5)
        time.sleep(2)  # readers find the stream refused and poll
        store.start()
        post_some("after", 5)
        complete = wait_for(lambda: all(r.shown == set(posted) for r in readers), 40, 0.2)
        missing = {i: sorted(set(posted) - r.shown) for i, r in enumerate(readers) if set(posted) - r.shown}
        assert complete, f"readers missing comments: {missing}"
    finally:
        for reader in readers:
            reader.stop()
        streams.stop()
        app.stop()
        store.stop()
        ensure_services()
    assert statuses == [302] * 15, statuses
    assert len(posted) == 15
    assert all(r.shown == set(posted) for r in readers)
    assert sum(r.twice_on_a_connection for r in readers) == 0
    assert [e for r in readers for e in r.errors] == []
    assert any(r.polls for r in readers), "the stream should have been refused while Redis was down"
    assert all(r.connections >= 2 for r in readers), "every reader reconnects after the restart"
    print(
        f"FIGURE live: {READERS} readers, 15 comments, reconnections "
        f"{sum(r.connections for r in readers) - READERS}, polls {sum(r.polls for r in readers)}"
    )
