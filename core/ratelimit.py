"""Sliding-window counters in Django's cache: shared by every server once the cache is (Redis).

A fixed window counted clock minutes, so 5 attempts at :58 and 5 more at :02 all passed a
"5 a minute" limit. Here a period is cut into SLOTS slots, each an atomic counter (cache.incr);
an attempt is counted first and then the slots of the last period are added up, so two servers
counting at once both see each other. The window slides a slot at a time (6 s for a minute).
"""

import time

from django.core.cache import cache

SLOTS = 10


def parse_rate(rate):
    """ "5/60" is five in sixty seconds."""
    count, _, seconds = str(rate).partition("/")
    return int(count), int(seconds or 60)


def hit(key, rate, *, now=None):
    """Count one attempt under `key`. Returns 0 when it is allowed, else the seconds to wait.

    Refused attempts count too: whoever keeps trying waits longer.
    """
    limit, period = parse_rate(rate)
    if limit <= 0:
        return 0
    now = time.time() if now is None else now
    slot = period / SLOTS
    current = int(now // slot)
    first = current - SLOTS + 1
    keys = [f"ratelimit:{key}:{period}:{number}" for number in range(first, current + 1)]
    timeout = int(period + slot) + 5
    cache.add(keys[-1], 0, timeout=timeout)
    try:
        cache.incr(keys[-1])
    except ValueError:  # evicted between add() and incr()
        cache.set(keys[-1], 1, timeout=timeout)
    counts = cache.get_many(keys)
    total = sum(counts.values())
    if total <= limit:
        return 0
    # Allowed again once enough of the oldest slots have left the window.
    for index, name in enumerate(keys):
        total -= counts.get(name, 0)
        if total < limit:
            leaves_at = (first + index + SLOTS) * slot
            return max(1, int(leaves_at - now + 0.999))
    return period
