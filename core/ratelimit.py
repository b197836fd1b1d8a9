"""Fixed-window counters in Django's cache: shared by every server once the cache is shared."""

import time

from django.core.cache import cache


def parse_rate(rate):
    """ "5/60" is five in sixty seconds."""
    count, _, seconds = str(rate).partition("/")
    return int(count), int(seconds or 60)


def hit(key, rate):
    """Count one attempt under `key`. Returns 0 when it is allowed, else the seconds to wait."""
    limit, period = parse_rate(rate)
    if limit <= 0:
        return 0
    now = time.time()
    window = int(now // period)
    cache_key = f"ratelimit:{key}:{window}"
    cache.add(cache_key, 0, timeout=period + 5)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # evicted between add() and incr()
        cache.set(cache_key, 1, timeout=period + 5)
        count = 1
    if count > limit:
        return max(1, int(period - now % period) + 1)
    return 0
