"""Django's built-in Redis cache, degrading to "nothing cached" while Redis is unreachable.

A cache is an optimisation: when Redis is down, reads miss, writes are dropped and pages go on
being served from the database. After a failure the client leaves Redis alone for a few seconds
so that each request does not wait for a connection timeout again.
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNAVAILABLE = (RedisConnectionError, RedisTimeoutError)


class ResilientRedisCacheClient(RedisCacheClient):
    retry_after = 5.0  # seconds without trying Redis after a failure

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._down_until = 0.0

    def _call(self, operation, fallback, *args):
        if time.monotonic() < self._down_until:
            return fallback
        try:
            return getattr(super(), operation)(*args)
        except UNAVAILABLE as error:
            self._down_until = time.monotonic() + self.retry_after
            logger.warning(
                "Redis unavailable, cache %s skipped for %ss: %s", operation, self.retry_after, error
            )
            return fallback

    def add(self, key, value, timeout):
        return self._call("add", False, key, value, timeout)

    def get(self, key, default):
        return self._call("get", default, key, default)

    def set(self, key, value, timeout):
        return self._call("set", None, key, value, timeout)

    def touch(self, key, timeout):
        return self._call("touch", False, key, timeout)

    def delete(self, key):
        return self._call("delete", False, key)

    def get_many(self, keys):
        return self._call("get_many", {}, keys)

    def has_key(self, key):
        return self._call("has_key", False, key)

    def incr(self, key, delta):
        # As if the counter had just been created: rate limits open up rather than break pages.
        return self._call("incr", delta, key, delta)

    def set_many(self, data, timeout):
        return self._call("set_many", None, data, timeout)

    def delete_many(self, keys):
        return self._call("delete_many", None, keys)

    def clear(self):
        return self._call("clear", False)


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ResilientRedisCacheClient
