"""Brute-force protection for signing in (readers and staff share one sign-in page: allauth's).

Failed logins are counted in the cache per (address, username) and per address. Once either
count reaches its limit within ADMIN_LOGIN_LOCKOUT_SECONDS, the login page answers 429 with a
readable message for that long, even to the right password.

Addresses are cheap to rotate, so failures are counted per username too, from anywhere: after
ADMIN_LOGIN_USERNAME_MAX_FAILURES of them, each further attempt for that username must wait a
delay that doubles with each failure (ADMIN_LOGIN_DELAY_SECONDS up to ADMIN_LOGIN_DELAY_MAX_SECONDS).
Attempts during the delay are refused unread, so a guesser gets one try per delay, and the editor
whose name is being guessed is kept out minutes at most, never locked out.

A successful login clears the counts for its username (and its address's pair). The counts live
in the "login_throttle" cache, which every web worker shares (Redis, or files on the machine: see
settings.CACHES).
"""

import hashlib
import math
import time
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.utils.translation import ngettext

from .http import client_ip

# One address may fail this many times more often than one username from it (a newsroom's
# staff often share an office address).
ADDRESS_FACTOR = 10


class LoginThrottle:
    prefix = "newsroom:login-throttle"

    def __init__(self, request, username):
        address = client_ip(request) or "unknown"
        username = (username or "").strip().casefold()
        self.cache = caches["login_throttle"]
        self.window = settings.ADMIN_LOGIN_LOCKOUT_SECONDS
        limit = settings.ADMIN_LOGIN_MAX_FAILURES
        self.pair = self._key("pair", address, username)
        self.counters = [(self.pair, limit), (self._key("address", address), limit * ADDRESS_FACTOR)]
        self.username = self._key("username", username)

    def _key(self, kind, *parts):
        # Hashed: usernames may hold characters that some cache backends refuse in keys.
        digest = hashlib.sha256("\0".join(parts).encode()).hexdigest()
        return f"{self.prefix}:{kind}:{digest}"

    def locked_for(self):
        """Seconds until logging in is allowed again; 0 when it is allowed now."""
        keys = [key for key, _limit in self.counters] + [self.username]
        until = self.cache.get_many([f"{key}:locked" for key in keys]).values()
        return max(0, math.ceil(max(until, default=0) - time.time()))

    def _count(self, key):
        self.cache.add(key, 0, self.window)
        try:
            return self.cache.incr(key)
        except ValueError:  # the counter expired between add() and incr()
            self.cache.set(key, 1, self.window)
            return 1

    def _lock(self, key, seconds):
        self.cache.set(f"{key}:locked", time.time() + seconds, seconds)

    def record_failure(self):
        for key, limit in self.counters:
            if self._count(key) >= limit:
                self._lock(key, self.window)
        count = self._count(self.username)
        # The count lives as long as the last failure is recent, however slowly they come.
        self.cache.touch(self.username, self.window)
        if (beyond := count - settings.ADMIN_LOGIN_USERNAME_MAX_FAILURES) >= 0:
            self._lock(self.username, step_up_delay(beyond))

    def reset(self):
        self.cache.delete_many([self.pair, f"{self.pair}:locked", self.username, f"{self.username}:locked"])


def step_up_delay(beyond):
    """The wait after the limit's failure and `beyond` more: doubling from the first delay, capped."""
    first, cap = settings.ADMIN_LOGIN_DELAY_SECONDS, settings.ADMIN_LOGIN_DELAY_MAX_SECONDS
    return min(cap, first * 2 ** min(beyond, 32))


class ThrottledLoginMixin:
    """For a login form with `self.request`: refuses while locked, counts wrong credentials.

    The form names the field that holds the username or email (`throttle_field`) and, through
    `signed_in_user()`, whom the credentials matched (None for wrong ones).
    """

    throttle_field = "username"

    def signed_in_user(self):
        raise NotImplementedError

    def throttle_username(self):
        """What the per-username counts are kept under: by default the name as typed."""
        return self.cleaned_data.get(self.throttle_field)

    def clean(self):
        throttle = LoginThrottle(self.request, self.throttle_username())
        if seconds := throttle.locked_for():
            self.request.login_throttled_for = seconds
            raise throttled_error(seconds)
        try:
            cleaned = super().clean()
        except ValidationError:
            if self.signed_in_user() is None:  # wrong credentials
                throttle.record_failure()
            raise
        if self.signed_in_user() is not None:
            throttle.reset()
        return cleaned


def throttled_error(seconds):
    if seconds < 60:
        return ValidationError(
            ngettext(
                "Too many failed attempts to log in. For your safety, logging in is paused: "
                "try again in %(seconds)d second.",
                "Too many failed attempts to log in. For your safety, logging in is paused: "
                "try again in %(seconds)d seconds.",
                seconds,
            ),
            code="throttled",
            params={"seconds": seconds},
        )
    minutes = math.ceil(seconds / 60)
    return ValidationError(
        ngettext(
            "Too many failed attempts to log in. For your safety, logging in is paused: "
            "try again in %(minutes)d minute.",
            "Too many failed attempts to log in. For your safety, logging in is paused: "
            "try again in %(minutes)d minutes.",
            minutes,
        ),
        code="throttled",
        params={"minutes": minutes},
    )


def throttled_login_view(view):
    """Answer 429 Too Many Requests, with Retry-After, when the form refused a throttled login."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if seconds := getattr(request, "login_throttled_for", 0):
            response.status_code = 429
            response["Retry-After"] = str(seconds)
        return response

    return wrapper
