"""REDIS_URL's cache: Django's Redis backend, turned into "nothing cached" while Redis is down."""

import shutil
import socket
import subprocess
import time

import pytest
from django.contrib.auth.models import User
from django.core.cache import caches

from core.cache import ResilientRedisCache


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_cache(url, **options):
    return ResilientRedisCache(
        url, {"OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5, **options}}
    )


def test_a_dead_redis_reads_as_empty_and_fails_fast():
    cache = redis_cache(f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there
    started = time.monotonic()

    assert cache.get("key", "default") == "default"
    assert cache.set("key", 1) is None
    assert cache.add("key", 1) is False
    assert cache.incr("counter") == 1  # as if just created: rate limits open up instead of failing
    assert cache.get_many(["a", "b"]) == {}
    assert cache.delete("key") is False
    assert cache.has_key("key") is False
    assert cache.get_or_set("key", "computed") == "computed"
    assert time.monotonic() - started < 2


def test_after_a_failure_redis_is_left_alone_for_a_few_seconds(monkeypatch):
    cache = redis_cache(f"redis://127.0.0.1:{free_port()}/0")
    cache.get("key")
    client = cache._cache
    calls = []
    monkeypatch.setattr(client, "get_client", lambda *args, **kwargs: calls.append(args))

    cache.get("key")

    assert calls == []


@pytest.fixture
def live_redis():
    executable = shutil.which("redis-server")
    if not executable:
        pytest.skip("redis-server is not installed")
    port = free_port()
    server = subprocess.Popen(  # noqa: S603
        [executable, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    cache = redis_cache(url)
    for _ in range(50):
        cache.set("ping", 1)
        if cache.get("ping"):
            break
        cache._cache._down_until = 0
        time.sleep(0.1)
    yield server, cache
    server.terminate()
    server.wait(timeout=10)


def test_a_live_redis_caches_and_degrades_when_it_stops(live_redis):
    server, cache = live_redis
    cache.set("story", {"headline": "Bridge opens"}, 60)
    cache.add("counter", 0, 60)
    assert cache.incr("counter") == 1
    assert cache.get("story") == {"headline": "Bridge opens"}

    server.terminate()
    server.wait(timeout=10)

    assert cache.get("story") is None
    assert cache.incr("counter") == 1


def test_sessions_survive_losing_the_cache(client, db, settings, live_redis):
    server, cache = live_redis
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": cache._servers[0],
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    client.force_login(User.objects.create_user("desk", password="x", is_staff=True))
    assert client.get("/admin/").status_code == 200

    server.terminate()
    server.wait(timeout=10)

    assert client.get("/admin/").status_code == 200  # read from the database
    assert caches["default"].get("anything") is None
