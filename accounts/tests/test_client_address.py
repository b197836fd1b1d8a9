"""allauth's own sign-in limits count readers by the address every other limit uses.

Behind nginx every request comes from 127.0.0.1; with TRUSTED_PROXY_COUNT=1 the reader's
address is the last X-Forwarded-For entry (deploy/nginx.conf appends it), and allauth's limits
("10 failed logins a minute per address", "30 logins a minute per address") must count that, not
the proxy: otherwise one guesser locks out every reader. Without the setting the header is the
sender's own words and is ignored.
"""

import pytest
from allauth.account.adapter import get_adapter
from django.contrib.auth.models import User

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
PASSWORD = "correct-horse"
TOO_MANY = "Too many failed login attempts"


@pytest.fixture(autouse=True)
def _setup(settings, clean_cache):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # allauth's limits, as in production (its defaults); ours out of the way at their defaults.
    assert "login_failed" not in getattr(settings, "ACCOUNT_RATE_LIMITS", {})


@pytest.fixture
def editor(db):
    return User.objects.create_user("desk", password=PASSWORD, is_staff=True)


def log_in(client, forwarded, username="desk", password=PASSWORD, address="127.0.0.1"):
    client.logout()
    return client.post(
        LOGIN,
        {"login": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def guess(client, forwarded, times, **kwargs):
    """Wrong passwords for made-up names (allauth also limits each name: that is not this test's)."""
    return [log_in(client, forwarded, username=f"guess{n}", password="wrong", **kwargs) for n in range(times)]


def test_one_readers_failed_logins_do_not_lock_out_another_behind_the_proxy(client, editor, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    answers = guess(client, "203.0.113.66", 12)
    assert TOO_MANY in answers[-1].content.decode()  # the guesser is stopped...

    response = log_in(client, "198.51.100.7")

    assert response.status_code == 302  # ...and nobody else is
    assert "_auth_user_id" in client.session


def test_a_busy_minute_of_correct_logins_is_not_one_address(client, editor, settings):
    settings.TRUSTED_PROXY_COUNT = 1

    statuses = [log_in(client, f"198.51.100.{n}").status_code for n in range(1, 36)]

    assert statuses == [302] * 35


def test_without_a_trusted_proxy_forwarded_for_is_ignored(client, editor, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    answers = [
        log_in(client, f"192.0.2.{n}", username=f"guess{n}", password="wrong", address="203.0.113.66")
        for n in range(11)
    ]
    assert TOO_MANY in answers[-1].content.decode()

    # A forged header does not make the guesser someone else...
    response = log_in(client, "192.0.2.200", address="203.0.113.66")
    assert TOO_MANY in response.content.decode()
    assert "_auth_user_id" not in client.session
    # ...while a reader at another address is not affected.
    assert log_in(client, "192.0.2.200", address="198.51.100.7").status_code == 302


def test_allauth_asks_the_one_client_address(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.9, 203.0.113.66")
    assert get_adapter(request).get_client_ip(request) == "203.0.113.66"


def test_a_header_shorter_than_the_proxy_count_is_not_a_server_error(client, editor, settings):
    settings.TRUSTED_PROXY_COUNT = 2  # a CDN in front of nginx, and a request that skipped the CDN

    response = log_in(client, "203.0.113.66", password="wrong")

    assert response.status_code == 200
