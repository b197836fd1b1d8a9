"""The ASGI server (uvicorn, newsroom.asgi) in a thread of the test process, on the test database,
and readers of its streams: the live-comment tests go through the real stream."""

import contextlib
import gc
import http.client
import json
import secrets
import socket
import threading
import time

import pytest
import redis
import uvicorn

REDIS_URL = "redis://127.0.0.1:6379/6"


def redis_or_skip():
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        pytest.skip("needs Redis on 127.0.0.1:6379 (live comments fan out through its pub/sub)")


def live_settings(settings, redis_url=REDIS_URL):
    """Live comments on, on a channel of this test's own (pub/sub channels are shared by all dbs)."""
    settings.COMMENTS_STREAM = True
    settings.COMMENTS_STREAM_REDIS_URL = redis_url
    settings.COMMENTS_STREAM_CHANNEL = f"test:comments:{secrets.token_hex(6)}"
    settings.COMMENTS_STREAM_HEARTBEAT_SECONDS = 15
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]


class ServerThread:
    """uvicorn serving newsroom.asgi on a free port of 127.0.0.1, the pages and the streams."""

    def __init__(self):
        from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
        from django.core.asgi import get_asgi_application

        from comments.stream import with_stream

        # As newsroom.asgi composes it, with the static files served as live_server serves them.
        application = with_stream(ASGIStaticFilesHandler(get_asgi_application()))

        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        config = uvicorn.Config(
            application, lifespan="on", log_level="warning", http="h11", timeout_graceful_shutdown=1
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        self.url = f"http://127.0.0.1:{self.port}"

    def stop(self):
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.socket.close()
        # The database connections of its finished worker threads go with them (PostgreSQL would
        # otherwise keep the test database from being dropped).
        gc.collect()


class Reader:
    """One stream, read as a browser's EventSource reads it: events by id, in a thread."""

    def __init__(self, port, article_id, since=None, last_event_id=None):
        self.events, self.closed = [], threading.Event()
        path = f"/comments/{article_id}/stream/" + (f"?since={since}" if since is not None else "")
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Accept": "text/event-stream"}
        if last_event_id is not None:
            headers["Last-Event-ID"] = str(last_event_id)
        self.conn.request("GET", path, headers=headers)
        self.response = self.conn.getresponse()
        self.status, self.headers = self.response.status, self.response.headers
        self.body = b""
        if self.status == 200:
            threading.Thread(target=self._read, daemon=True).start()
        else:
            self.body = self.response.read()
            self.closed.set()

    def _read(self):
        event = {}
        try:
            for raw in self.response:
                line = raw.decode().rstrip("\n")
                if not line:
                    if "data" in event:
                        self.events.append({**json.loads(event["data"]), "event_id": event.get("id")})
                    event = {}
                elif not line.startswith(":"):
                    field, _, value = line.partition(": ")
                    event[field] = value
        except (OSError, ValueError, AttributeError, http.client.HTTPException):  # closed by the test
            pass
        self.closed.set()

    def ids(self):
        return [event["id"] for event in self.events]

    def wait_for(self, count, timeout=10):
        deadline = time.monotonic() + timeout
        while len(self.events) < count and time.monotonic() < deadline and not self.closed.is_set():
            time.sleep(0.02)
        return self.ids()

    def close(self):
        # Shut down first: close() alone waits for the reading thread's read (the next heartbeat).
        if self.conn.sock is not None:
            with contextlib.suppress(OSError):
                self.conn.sock.shutdown(socket.SHUT_RDWR)
        self.closed.wait(5)
        self.conn.close()
