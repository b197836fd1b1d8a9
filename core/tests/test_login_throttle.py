"""Repeated failed sign-ins are answered 429 for a while, even with the right password.

Staff and readers sign in on allauth's page (the admin's login page sends there), whose form
carries the throttle (accounts/signin.py).
"""

import time

import pytest
from django.contrib.auth.models import User

from core.http import client_ip
from core.security import ADDRESS_FACTOR, step_up_delay

LOGIN = "/accounts/login/"
PASSWORD = "correct-horse"


@pytest.fixture(autouse=True)
def _limits(settings, clean_cache):
    settings.ADMIN_LOGIN_MAX_FAILURES = 3
    settings.ADMIN_LOGIN_LOCKOUT_SECONDS = 600
    # Dozens of logins: a fast hasher keeps this file quick (the throttle does not care which).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # allauth's own limits (per process, in the default cache) are left out: this is ours.
    settings.ACCOUNT_RATE_LIMITS = False


@pytest.fixture
def editor(db):
    return User.objects.create_user("desk", password=PASSWORD, is_staff=True)


def log_in(client, username="desk", password=PASSWORD, address="203.0.113.7", **extra):
    return client.post(
        LOGIN, {"login": username, "password": password, "next": "/admin/"}, REMOTE_ADDR=address, **extra
    )


def fail(client, times, **kwargs):
    for _ in range(times):
        response = log_in(client, password="wrong", **kwargs)
        assert response.status_code == 200  # the usual "the username and/or password are not correct"


def signed_in(client):
    return "_auth_user_id" in client.session


def test_failures_below_the_limit_still_let_the_right_password_in(client, editor):
    fail(client, 2)

    response = log_in(client)

    assert response.status_code == 302
    assert signed_in(client)


def test_too_many_failures_answer_429_even_to_the_right_password(client, editor):
    fail(client, 3)

    response = log_in(client)

    assert response.status_code == 429
    assert not signed_in(client)
    assert "Too many failed attempts to log in" in response.content.decode()
    assert "try again in 10 minutes" in response.content.decode()
    assert 590 <= int(response["Retry-After"]) <= 600
    assert response["Content-Security-Policy"]  # still the normal, protected login page


def test_the_lock_lifts_when_the_window_has_passed(client, editor, monkeypatch):
    fail(client, 3)
    assert log_in(client).status_code == 429

    later = time.time() + 601
    monkeypatch.setattr(time, "time", lambda: later)  # the cache's expiry clock too

    response = log_in(client)
    assert response.status_code == 302
    assert signed_in(client)


def test_a_success_clears_the_count(client, editor):
    fail(client, 2)
    assert log_in(client).status_code == 302
    client.logout()

    fail(client, 2)

    assert log_in(client).status_code == 302


def test_the_lock_holds_one_username_from_one_address(client, editor):
    User.objects.create_user("sub", password=PASSWORD, is_staff=True)
    fail(client, 3)

    assert log_in(client, address="198.51.100.20").status_code == 302  # the same editor elsewhere
    client.logout()
    assert log_in(client, username="sub").status_code == 302  # a colleague in the same office


def test_usernames_count_alike_whatever_their_case(client, editor):
    fail(client, 3, username="DESK")

    assert log_in(client).status_code == 429


def test_one_address_trying_many_usernames_is_stopped_too(client, editor):
    for n in range(3 * ADDRESS_FACTOR):
        log_in(client, username=f"guess{n}", password="wrong")

    assert log_in(client).status_code == 429


def test_the_admin_login_page_sends_to_the_one_sign_in_page(client, editor):
    response = client.get("/admin/login/?next=/admin/articles/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2Farticles%2F"


def test_the_admin_login_form_cannot_be_posted_around_the_sign_in_page(client, editor):
    response = client.post("/admin/login/", {"username": "desk", "password": PASSWORD, "next": "/admin/"})

    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not signed_in(client)


def test_staff_sign_in_by_username_or_email_with_no_address_to_confirm(client, editor):
    editor.email = "desk@example.com"
    editor.save()

    assert log_in(client, username="desk@example.com")["Location"] == "/admin/"
    client.logout()
    assert log_in(client)["Location"] == "/admin/"
    assert signed_in(client)


def test_a_right_password_for_a_reader_is_not_a_failure(client, db):
    User.objects.create_user("reader", "reader@example.com", password=PASSWORD)

    for _ in range(5):
        response = log_in(client, username="reader@example.com")
        assert response.status_code == 302  # to "confirm your address": allauth's rule for readers
        assert not signed_in(client)
    assert log_in(client, username="reader@example.com").status_code == 302


def test_the_login_page_itself_still_opens_while_locked(client, editor):
    fail(client, 3)

    assert client.get(LOGIN).status_code == 200


def test_behind_our_proxy_the_forwarded_address_counts(client, editor, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"HTTP_X_FORWARDED_FOR": "192.0.2.1, 203.0.113.7", "address": "127.0.0.1"}
    fail(client, 3, **proxy)

    assert log_in(client, **proxy).status_code == 429
    other = {"HTTP_X_FORWARDED_FOR": "203.0.113.99", "address": "127.0.0.1"}
    assert log_in(client, **other).status_code == 302


def test_client_address_ignores_forwarded_for_unless_told_to_trust_a_proxy(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 5.6.7.8")

    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.2"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "5.6.7.8"
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request) == "1.2.3.4"
    settings.TRUSTED_PROXY_COUNT = 3  # fewer entries than proxies: the header was not ours
    assert client_ip(request) == "10.0.0.2"


# Per username, from anywhere: rotating addresses do not escape it, and it only ever delays.


@pytest.fixture
def step_up(settings):
    settings.TRUSTED_PROXY_COUNT = 1  # behind nginx: every request comes from 127.0.0.1
    settings.ADMIN_LOGIN_USERNAME_MAX_FAILURES = 5
    settings.ADMIN_LOGIN_DELAY_SECONDS = 1  # real seconds: the tests wait them out
    settings.ADMIN_LOGIN_DELAY_MAX_SECONDS = 2


def rotating(n):
    return {"address": "127.0.0.1", "HTTP_X_FORWARDED_FOR": f"198.51.100.{n % 250 + 1}"}


def test_rotating_addresses_do_not_escape_the_per_username_limit(client, editor, step_up):
    statuses = [log_in(client, password="wrong", **rotating(n)).status_code for n in range(20)]

    assert statuses[:5] == [200] * 5
    assert statuses[5] == 429  # the sixth guess already waits, whichever address it comes from
    assert statuses.count(200) < 19


def test_the_right_password_waits_out_the_delay_then_works(client, editor, step_up):
    for n in range(5):
        log_in(client, password="wrong", **rotating(n))

    response = log_in(client, **rotating(100))  # the editor, from yet another address

    assert response.status_code == 429
    assert not signed_in(client)
    assert "try again in 1 second" in response.content.decode()
    assert response["Retry-After"] == "1"

    time.sleep(1.05)
    assert log_in(client, **rotating(101)).status_code == 302
    assert signed_in(client)


def test_other_usernames_are_not_delayed(client, editor, step_up):
    User.objects.create_user("sub", password=PASSWORD, is_staff=True)
    for n in range(5):
        log_in(client, password="wrong", **rotating(n))
    assert log_in(client, **rotating(50)).status_code == 429

    assert log_in(client, username="sub", **rotating(51)).status_code == 302


def test_each_further_failure_doubles_the_delay_up_to_the_cap(client, editor, step_up):
    for n in range(5):
        log_in(client, password="wrong", **rotating(n))
    assert log_in(client, **rotating(10))["Retry-After"] == "1"

    time.sleep(1.05)
    assert log_in(client, password="wrong", **rotating(11)).status_code == 200  # one more guess...
    assert log_in(client, **rotating(12))["Retry-After"] == "2"  # ...doubles the wait

    time.sleep(2.05)
    assert log_in(client, password="wrong", **rotating(13)).status_code == 200
    assert log_in(client, **rotating(14))["Retry-After"] == "2"  # the cap


def test_the_default_delays_stay_a_few_minutes_at_most(settings):
    delays = [step_up_delay(beyond) for beyond in range(100)]

    assert delays[:4] == [5, 10, 20, 40]
    assert max(delays) == settings.ADMIN_LOGIN_DELAY_MAX_SECONDS == 300


def test_a_success_clears_the_per_username_count(client, editor, step_up):
    for n in range(4):
        log_in(client, password="wrong", **rotating(n))
    assert log_in(client, **rotating(20)).status_code == 302
    client.logout()

    for n in range(4):
        assert log_in(client, password="wrong", **rotating(30 + n)).status_code == 200
    assert log_in(client, **rotating(40)).status_code == 302


def test_without_a_trusted_proxy_forwarded_addresses_are_the_senders_own_words(client, editor):
    for n in range(3):  # forged X-Forwarded-For, straight to the app: one address all the same
        log_in(client, password="wrong", address="203.0.113.7", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")

    assert log_in(client, address="203.0.113.7", HTTP_X_FORWARDED_FOR="192.0.2.200").status_code == 429


def test_a_forwarded_entry_that_is_not_an_address_is_ignored(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for forged in ("not-an-address", "203.0.113.5:4444", "<script>", " , ", "203.0.113.5\x00"):
        request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forged)
        assert client_ip(request) == "10.0.0.2", forged
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="2001:DB8:0::1")
    assert client_ip(request) == "2001:db8::1"  # as the database stores it: bans on it match
    request = rf.get("/", REMOTE_ADDR="::ffff:192.0.2.9")
    assert client_ip(request) == "192.0.2.9"


def test_an_accounts_username_and_address_share_one_count(client, editor, step_up):
    editor.email = "desk@example.com"
    editor.save()
    for n, name in enumerate(["desk", "desk@example.com", "DESK", "Desk@Example.com", "desk"]):
        assert log_in(client, username=name, password="wrong", **rotating(n)).status_code == 200

    assert log_in(client, username="desk@example.com", **rotating(9)).status_code == 429
