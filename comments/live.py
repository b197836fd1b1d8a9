"""Telling open story pages that a comment became visible (docs/comments.md, "Live comments").

When a comment is published (posted, approved, a reply), its story, id, cursor and stored entry are
published on Redis (COMMENTS_STREAM_CHANNEL) once its transaction commits; every stream process
(comments/stream.py) has one subscription and hands the event to the pages of that story it holds.
The entry travels in the message, so no stream process reads the database for a live event.

Redis down: the message is dropped and logged, the comment is saved all the same. Streams lose
their subscription too, close, and the pages catch up from the database when they reconnect (or
poll), so nothing is missed.
"""

import json
import logging
import time
from datetime import UTC, datetime, timedelta
from functools import cache

import redis
from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
RETRY_AFTER = 5.0  # seconds without trying Redis after a failure, as core/cache.py does
_down_until = 0.0


def cursor(moment):
    """A point in time as pages and streams pass it: whole microseconds since 1970 (UTC)."""
    return (moment - EPOCH) // timedelta(microseconds=1)


def moment(value):
    """The time a cursor names."""
    return EPOCH + timedelta(microseconds=value)


@cache
def _client(url):
    return redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5, retry_on_timeout=False)


def message(comment):
    """What a stream sends for `comment`: its story, id, cursor and entry as every reader sees it."""
    return {
        "article": comment.article_id,
        "id": comment.pk,
        "cursor": cursor(comment.published_at),
        "html": comment.entry_html,
    }


def announce(comments):
    """Publish these (now published) comments to the streams once the transaction commits; a
    rolled-back transaction announces nothing."""
    if not settings.COMMENTS_STREAM:
        return
    payloads = [json.dumps(message(comment)) for comment in comments if comment.published_at]
    if payloads:
        transaction.on_commit(lambda: publish(payloads))


def publish(payloads):
    global _down_until
    if time.monotonic() < _down_until:
        return
    try:
        pipe = _client(settings.COMMENTS_STREAM_REDIS_URL).pipeline(transaction=False)
        for payload in payloads:
            pipe.publish(settings.COMMENTS_STREAM_CHANNEL, payload)
        pipe.execute()
    except (redis.RedisError, OSError) as error:
        _down_until = time.monotonic() + RETRY_AFTER
        # Pages find the comment when their stream reconnects, or by polling.
        logger.warning("Live comments: Redis unavailable, %d message(s) dropped: %s", len(payloads), error)
