"""core.ratelimit: a sliding window, counted in the shared cache."""

import uuid

import pytest

from core import ratelimit
from core.cache import ResilientRedisCache

MINUTE = 1_000_020.0  # a clock minute starts here (divisible by 60)


def test_seven_in_thirty_one_seconds_across_a_clock_minute_are_not_all_allowed():
    key = f"test:{uuid.uuid4().hex}"
    times = [MINUTE - 15, MINUTE - 10, MINUTE - 5, MINUTE, MINUTE + 5, MINUTE + 10, MINUTE + 16]
    waits = [ratelimit.hit(key, "5/60", now=moment) for moment in times]
    assert waits[:5] == [0, 0, 0, 0, 0]
    assert all(wait > 0 for wait in waits[5:])


def test_the_wait_given_is_when_the_window_has_slid_enough():
    key = f"test:{uuid.uuid4().hex}"
    for second in range(5):
        assert ratelimit.hit(key, "5/60", now=MINUTE + second) == 0
    wait = ratelimit.hit(key, "5/60", now=MINUTE + 10)
    assert 50 <= wait <= 56  # the first attempts' slot leaves the window 60 s after it began
    # Until then still refused; once that slot is out, allowed again.
    assert ratelimit.hit(key, "5/60", now=MINUTE + 30) > 0
    assert ratelimit.hit(key, "5/60", now=MINUTE + 10 + wait) == 0


def test_keys_and_zero_limits_are_independent():
    first, second = f"test:{uuid.uuid4().hex}", f"test:{uuid.uuid4().hex}"
    assert [ratelimit.hit(first, "1/60", now=MINUTE) for _ in range(2)] == [0, 60]
    assert ratelimit.hit(second, "1/60", now=MINUTE) == 0
    assert ratelimit.hit(first, "0/60", now=MINUTE) == 0  # 0 turns the limit off


def test_two_servers_sharing_redis_count_together(monkeypatch):
    """Two app servers are two cache clients of one Redis: what one counts, the other sees."""
    prefix = f"test-ratelimit-{uuid.uuid4().hex}"
    servers = [ResilientRedisCache("redis://127.0.0.1:6379/14", {"KEY_PREFIX": prefix}) for _ in range(2)]
    servers[0].set("probe", 1)
    if servers[1].get("probe") != 1:
        pytest.skip("no Redis at 127.0.0.1:6379")
    key = f"test:{uuid.uuid4().hex}"
    waits = []
    for index in range(6):
        monkeypatch.setattr(ratelimit, "cache", servers[index % 2])
        waits.append(ratelimit.hit(key, "5/60", now=MINUTE + index))
    assert waits[:5] == [0] * 5 and waits[5] > 0
    servers[0].delete("probe")  # the counters expire on their own within 71 s
