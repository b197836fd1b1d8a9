"""Live comments as server-sent events: `GET /comments/<story>/stream/` (docs/comments.md).

Served by the ASGI server (uvicorn running newsroom.asgi, behind nginx), outside Django's request
cycle: a held connection costs one small coroutine and a queue, never a thread, and nothing runs
for it while nobody comments. Django's middleware is for pages; this answer is the same for every
reader and sets no cookie.

One Redis subscription per process (Hub) receives what comments/live.py publishes and hands each
event, framed once, to the queues of the connections open on that story. A connection:

1. registers its queue, then reads from the database what was published after its cursor
   (Last-Event-ID when the browser reconnects, else `?since=` as the page gave it; never more
   than the last CATCH_UP comments), so a comment committed in between arrives one way or the
   other; the few sent twice (the overlap) are skipped by id, here and in the browser;
2. sends each new comment as an event whose id is its cursor, and a comment line every
   COMMENTS_STREAM_HEARTBEAT_SECONDS;
3. closes when the subscription is lost (Redis restarted): the browser reconnects after `retry:`
   (a few seconds, spread) with Last-Event-ID and catches up from the database.

Without a subscription (Redis down) a connection gets 503 with Retry-After at once, and the page
polls (static/js/comments.js) until the stream answers again.
"""

import asyncio
import json
import logging
import random
import re
import time
from collections import defaultdict
from urllib.parse import parse_qs

import redis.asyncio as aioredis
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import DatabaseError, close_old_connections
from django.http import HttpResponse
from django.http.request import split_domain_port, validate_host
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)

PATH = re.compile(r"/comments/([0-9]{1,18})/stream/")
CATCH_UP = 100  # comments sent at most on (re)connection, the newest; as the poll's limit
# Comments published this long before a cursor are sent again on reconnection, and skipped by id:
# published_at is set before the transaction commits, so an older comment may commit later.
OVERLAP_US = 10 * 1_000_000
QUEUE_LIMIT = 200  # events waiting for one slow connection before it is closed (it catches up)
RETRY_MS = (1000, 4000)  # reconnection delay the browser is given, spread so that they do not all
SUBSCRIBE_WAIT = 1.0  # seconds a connection waits for a process's first subscription
CLOSE = object()  # put in a queue: end this connection
UNAVAILABLE = "Live comments are unavailable for now: the page polls."

HEADERS = [
    (b"content-type", b"text/event-stream; charset=utf-8"),
    (b"cache-control", b"no-store"),
    # nginx passes every event on at once (deploy/nginx.conf also turns buffering off here).
    (b"x-accel-buffering", b"no"),
    (b"x-content-type-options", b"nosniff"),
]


def frame(payload):
    """One comment as an event: its cursor as the id, its id and entry as JSON data."""
    data = json.dumps({"id": payload["id"], "cursor": payload["cursor"], "html": payload["html"]})
    return f"id: {payload['cursor']}\nevent: comment\ndata: {data}\n\n".encode()


class Hub:
    """This process's Redis subscription and the connections it feeds, by story."""

    def __init__(self):
        self.readers = defaultdict(set)
        self.ready = asyncio.Event()
        self.task = None

    def start(self):
        if self.task is None or self.task.done():
            self.task = asyncio.get_running_loop().create_task(self.run())

    def listen(self, article_id):
        queue = asyncio.Queue()
        self.readers[article_id].add(queue)
        return queue

    def leave(self, article_id, queue):
        readers = self.readers.get(article_id)
        if readers is not None:
            readers.discard(queue)
            if not readers:
                del self.readers[article_id]

    @property
    def held(self):
        return sum(len(queues) for queues in self.readers.values())

    async def run(self):
        delay = 0.2
        while True:
            client = aioredis.from_url(
                settings.COMMENTS_STREAM_REDIS_URL, socket_connect_timeout=1, socket_keepalive=True
            )
            try:
                async with client.pubsub(ignore_subscribe_messages=True) as pubsub:
                    await pubsub.subscribe(settings.COMMENTS_STREAM_CHANNEL)
                    self.ready.set()
                    delay = 0.2
                    while True:
                        message = await pubsub.get_message(timeout=settings.COMMENTS_STREAM_HEARTBEAT_SECONDS)
                        if message is None:
                            await pubsub.ping()  # a dead connection fails here rather than hang
                        elif message["type"] == "message":
                            self.dispatch(message["data"])
            except asyncio.CancelledError:
                raise
            except Exception as error:  # noqa: BLE001 - whatever broke it, subscribe again
                logger.warning("Live comments: Redis subscription lost (%s); again in %.1f s", error, delay)
            finally:
                self.ready.clear()
                self.close_all()
                await client.aclose()
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5.0)

    def dispatch(self, data):
        try:
            payload = json.loads(data)
            article_id, item = int(payload["article"]), (int(payload["id"]), frame(payload))
        except (ValueError, KeyError, TypeError):
            logger.warning("Live comments: a message that is not ours on the channel, ignored")
            return
        for queue in self.readers.get(article_id, ()):
            queue.put_nowait(item if queue.qsize() < QUEUE_LIMIT else CLOSE)

    def close_all(self):
        """Every connection closes (it may have missed events): browsers reconnect and catch up."""
        for queues in self.readers.values():
            for queue in queues:
                queue.put_nowait(CLOSE)


_hubs = {}


def hub():
    """The hub of the running event loop (one per process; tests may run several loops)."""
    loop = asyncio.get_running_loop()
    found = _hubs.get(loop)
    if found is None:
        found = _hubs[loop] = Hub()
    found.start()
    return found


def parse_cursor(value, now_us):
    """A cursor from a page or a browser: None when it is not one; never later than now."""
    value = (value or "").strip()
    if not value.isascii() or not value.isdigit() or len(value) > 18:
        return None
    return min(int(value), now_us)


def starting_cursor(query, last_event_id, now_us):
    """(cursor, error): Last-Event-ID when it is a cursor (a reconnecting browser sends it; a
    forged one starts from now rather than fail, the browser cannot change it), else ?since=."""
    if last_event_id is not None:
        found = parse_cursor(last_event_id, now_us)
        return (now_us if found is None else found), None
    since = query.get("since")
    if since is None:
        return now_us, None
    found = parse_cursor(since, now_us)
    if found is None:
        return None, "“since” must be a time in microseconds, as the page gave it."
    return found, None


def catch_up(article_id, since_us):
    """[(id, frame)] of the story's comments published after since_us (less OVERLAP_US), oldest
    first, the newest CATCH_UP at most; None when the story is not published. Two queries."""
    from articles.models import Article

    from . import entries, live
    from .models import Comment

    # As Django's request cycle does around a request: kept per CONN_MAX_AGE, else closed.
    close_old_connections()
    try:
        if not Article.objects.published().filter(pk=article_id).exists():
            return None
        rows = list(
            Comment.objects.published()
            .filter(article_id=article_id, published_at__gt=live.moment(max(0, since_us - OVERLAP_US)))
            .order_by("-published_at", "-id")
            .values_list(*entries.ENTRY_FIELDS, "published_at")[:CATCH_UP]
        )
        rows.reverse()
        found = []
        for pk, html, version, published in rows:
            entry = entries.joined([(pk, html, version)])  # drawn again if drawn under another version
            found.append((pk, frame({"id": pk, "cursor": live.cursor(published), "html": entry})))
        return found
    finally:
        close_old_connections()


async def _answer(send, status, text, extra=()):
    headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"cache-control", b"no-store"), *extra]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": text.encode()})


async def _watch(receive, queue):
    """CLOSE into the queue when the browser goes away."""
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            queue.put_nowait(CLOSE)
            return


async def serve(scope, receive, send, article_id):
    """One reader's stream."""
    headers = dict(scope.get("headers") or [])
    host, _port = split_domain_port(headers.get(b"host", b"").decode("latin-1"))
    allowed = settings.ALLOWED_HOSTS
    if settings.DEBUG and not allowed:
        allowed = [".localhost", "127.0.0.1", "[::1]"]  # as Django's own check in development
    if not validate_host(host, allowed):
        return await _answer(send, 400, "Bad Host header.")
    if scope["method"] not in ("GET", "HEAD"):
        return await _answer(send, 405, "Use GET.", [(b"allow", b"GET, HEAD")])
    query = {k: v[-1] for k, v in parse_qs(scope.get("query_string", b"").decode("latin-1")).items()}
    last = headers.get(b"last-event-id")
    now_us = int(time.time() * 1_000_000)
    since, error = starting_cursor(query, None if last is None else last.decode("latin-1"), now_us)
    if error:
        return await _answer(send, 400, error)
    retry_later = [(b"retry-after", str(settings.COMMENTS_POLL_SECONDS).encode())]
    if not settings.COMMENTS_STREAM:
        return await _answer(send, 503, "Live comments are off: the page polls.", retry_later)
    found = hub()
    if not found.ready.is_set():
        try:
            async with asyncio.timeout(SUBSCRIBE_WAIT):
                await found.ready.wait()
        except TimeoutError:
            return await _answer(send, 503, UNAVAILABLE, retry_later)
    queue = found.listen(article_id)
    watcher = None
    try:
        try:
            backlog = await sync_to_async(catch_up, thread_sensitive=False)(article_id, since)
        except DatabaseError:
            return await _answer(send, 503, UNAVAILABLE, retry_later)
        if backlog is None:
            return await _answer(send, 404, "No such story.")
        await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
        if scope["method"] == "HEAD":
            return await send({"type": "http.response.body", "body": b""})
        sent = {pk for pk, _frame in backlog}
        first = f"retry: {random.randint(*RETRY_MS)}\n\n".encode() + b"".join(f for _pk, f in backlog)
        await send({"type": "http.response.body", "body": first, "more_body": True})
        watcher = asyncio.get_running_loop().create_task(_watch(receive, queue))
        heartbeat = settings.COMMENTS_STREAM_HEARTBEAT_SECONDS
        while True:
            try:
                async with asyncio.timeout(heartbeat):
                    item = await queue.get()
            except TimeoutError:
                await send({"type": "http.response.body", "body": b": \n\n", "more_body": True})
                continue
            if item is CLOSE:
                break
            pk, event = item
            if pk not in sent:
                sent.add(pk)
                await send({"type": "http.response.body", "body": event, "more_body": True})
        await send({"type": "http.response.body", "body": b""})
    except OSError:
        pass  # the browser left while we wrote
    finally:
        found.leave(article_id, queue)
        if watcher is not None:
            watcher.cancel()


def with_stream(django_application):
    """The ASGI application: streams here, everything else to Django."""

    async def application(scope, receive, send):
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] == "http":
            match = PATH.fullmatch(scope["path"])
            if match:
                return await serve(scope, receive, send, int(match[1]))
        return await django_application(scope, receive, send)

    return application


@never_cache
def unavailable(request, article_id):
    """The same URL reaching Django (runserver, or gunicorn without the ASGI server routed in
    front): no stream here; the page polls instead."""
    response = HttpResponse(
        "Live comments are served by the ASGI server (docs/deploy.md): the page polls.",
        status=503,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(settings.COMMENTS_POLL_SECONDS)
    return response
