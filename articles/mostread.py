"""Most read: story views counted from the readers' browsers, over the last MOST_READ_HOURS.

A story page may come from nginx's cache, so its own request cannot be counted: the page's script
(static/js/most-read.js) sends a beacon with the story's id, which `count()` adds to the hour's
count. No cookie, no address and no user agent is kept: only "story 12 was read 40 times between
14:00 and 15:00". The reader's address is used for the flood limit only, as a cache key that
expires with its window (core/ratelimit.py).

With REDIS_URL the counts live in Redis: a sorted set per hour (`mostread:2024051314`, story id →
views), ZINCRBY'd by each view and expiring once it is out of the window; the ranking is the
ZUNION of the window's sets. Without Redis they live in the database (StoryViews, a row per story
and hour). Not the database everywhere: each view would be a write, and a breaking story's one row
would have every worker waiting on its lock. When Redis is down, views go uncounted and the list
is empty (hidden) until it is back: never an error.
"""

import logging
import re
import time
from dataclasses import dataclass
from datetime import UTC, timedelta

import redis
from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import StoryViews

logger = logging.getLogger(__name__)

KEY_PREFIX = "mostread:"
CANDIDATES = 20  # ranked ids read per list: some may have been unpublished since
RETRY_AFTER = 5.0  # seconds without trying Redis after it failed

# Crawlers, link previews, monitors and scripts: a compact list of what their user agents say.
# "bot" as a word's end: Googlebot, bingbot, YandexBot, but not the CUBOT phones.
BOT_AGENTS = re.compile(
    r"bot\b|crawl|spider|slurp|archiver|facebookexternalhit|embedly|preview|headless|lighthouse|"
    r"pingdom|uptime|monitor|python|curl|wget|libwww|httpclient|okhttp|go-http|java/|node-fetch|"
    r"axios|scrapy|phantomjs|selenium|puppeteer|playwright",
    re.IGNORECASE,
)


def is_bot(request):
    """Whether this beacon comes from anything but a reader's browser on one of our pages."""
    agent = request.headers.get("User-Agent", "")
    if not agent.strip() or BOT_AGENTS.search(agent):
        return True
    # Browsers that send Fetch Metadata say where the beacon comes from: another site's page
    # must not add views (browsers without it pass, on the user agent alone).
    return request.headers.get("Sec-Fetch-Site", "same-origin") != "same-origin"


@dataclass
class Ranking:
    """The most read stories' ids, most read first (a list, or a subquery), and an expression of
    a story's views in the window, for ordering in SQL."""

    ids: object
    views: models.Expression


def hour_of(moment):
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def count(article_id, now=None):
    """Count one view of the (public) story `article_id` in this hour."""
    hour = hour_of(now or timezone.now())
    client = _redis()
    if client is not None:
        key = _key(hour)
        pipe = client.pipeline(transaction=False)
        pipe.zincrby(key, 1, article_id)
        pipe.expire(key, (settings.MOST_READ_HOURS + 1) * 3600)
        _run(pipe.execute)
        return
    if settings.REDIS_URL:
        return  # Redis is down: not counted
    views = StoryViews.objects.filter(article_id=article_id, hour=hour)
    if views.update(count=models.F("count") + 1):
        return
    try:
        with transaction.atomic():
            StoryViews.objects.create(article_id=article_id, hour=hour, count=1)
    except IntegrityError:  # another worker made the hour's row first
        views.update(count=models.F("count") + 1)
        return
    # A story's first view in an hour: the rows out of the window go now, a few times an hour.
    StoryViews.objects.filter(hour__lt=hour - timedelta(hours=settings.MOST_READ_HOURS)).delete()


def ranking(now=None):
    """The Ranking of the last MOST_READ_HOURS hours, this one included: the top CANDIDATES."""
    hour = hour_of(now or timezone.now())
    hours = [hour - timedelta(hours=n) for n in range(settings.MOST_READ_HOURS)]
    if not settings.REDIS_URL:
        window = StoryViews.objects.filter(hour__gte=hours[-1])
        totals = window.values("article").annotate(total=models.Sum("count"))
        views = totals.filter(article=models.OuterRef("pk")).values("total")
        return Ranking(
            ids=totals.order_by("-total", "-article").values("article")[:CANDIDATES],
            views=Coalesce(models.Subquery(views), 0),
        )
    client = _redis()
    found = _run(client.zunion, [_key(hour) for hour in hours], withscores=True) if client else None
    top = sorted(((int(member), int(score)) for member, score in found or ()), key=lambda p: (-p[1], -p[0]))
    top = top[:CANDIDATES]
    views = models.Case(
        *(models.When(pk=pk, then=models.Value(score)) for pk, score in top),
        default=models.Value(0),
        output_field=models.IntegerField(),
    )
    return Ranking(ids=[pk for pk, _score in top], views=views)


def _key(hour):
    return f"{KEY_PREFIX}{hour:%Y%m%d%H}"


_clients = {}
_down_until = {}


def _redis():
    """A Redis client for REDIS_URL; None without one, or for a few seconds after a failure."""
    url = settings.REDIS_URL
    if not url or time.monotonic() < _down_until.get(url, 0.0):
        return None
    if url not in _clients:
        _clients[url] = redis.Redis.from_url(
            url, socket_connect_timeout=0.5, socket_timeout=0.5, retry_on_timeout=False
        )
    return _clients[url]


def _run(operation, *args, **kwargs):
    try:
        return operation(*args, **kwargs)
    except (redis.ConnectionError, redis.TimeoutError) as error:
        _down_until[settings.REDIS_URL] = time.monotonic() + RETRY_AFTER
        logger.warning("Redis unavailable, most read skipped: %s", error)
        return None
