"""Staff two-factor sign-in (allauth.mfa): enrolment enforced by REQUIRE_STAFF_MFA, a real TOTP code."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse"
ACTIVATE = "/accounts/2fa/totp/activate/"


@pytest.fixture(autouse=True)
def _fresh(clean_cache):
    # Used TOTP codes and the sign-in throttle live in the caches.
    pass


@pytest.fixture
def staff():
    return User.objects.create_user("desk", "desk@example.com", PASSWORD, is_staff=True)


@pytest.fixture
def require(settings):
    settings.REQUIRE_STAFF_MFA = True


def totp_code(secret, offset=0):
    """What an authenticator app shows now (or `offset` periods from now)."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + offset))


def sign_in(client, login="desk", next_url="/admin/"):
    return client.post(reverse("account_login"), {"login": login, "password": PASSWORD, "next": next_url})


def signed_in(client):
    return "_auth_user_id" in client.session


def enrol(client):
    """Set up an authenticator app the way a person does; returns its secret."""
    page = client.get(ACTIVATE)
    # allauth asks for the password once more before a security change.
    assert (
        page["Location"] == f"{reverse('account_reauthenticate')}?next=%2Faccounts%2F2fa%2Ftotp%2Factivate%2F"
    )
    confirmed = client.post(page["Location"], {"password": PASSWORD})
    assert confirmed["Location"] == ACTIVATE
    page = client.get(ACTIVATE)
    assert page.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    assert secret in page.text  # shown to type into the app when the QR code cannot be scanned
    response = client.post(ACTIVATE, {"code": totp_code(secret)})
    assert response.status_code == 302
    return secret


def test_with_the_requirement_off_staff_reach_the_admin_without_a_second_factor(client, staff, settings):
    settings.REQUIRE_STAFF_MFA = False
    client.force_login(staff)

    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize("path", ["/admin/", "/admin/articles/article/", "/admin/auth/user/"])
def test_staff_without_an_authenticator_are_sent_to_enrol_before_any_admin_page(client, staff, require, path):
    client.force_login(staff)

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == ACTIVATE


def test_the_requirement_leaves_readers_pages_and_signing_out_alone(client, staff, require):
    client.force_login(staff)

    assert client.get(reverse("accounts:profile")).status_code == 200
    assert client.post("/admin/logout/").status_code == 200  # "Logged out"
    assert not signed_in(client)


def test_staff_enrol_an_authenticator_app_then_sign_in_with_its_code(client, staff, require):
    # First sign-in: the password, then enrolment before the desk opens.
    assert sign_in(client)["Location"] == "/admin/"
    assert client.get("/admin/")["Location"] == ACTIVATE
    secret = enrol(client)

    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()
    codes = client.get(reverse("mfa_view_recovery_codes"))
    assert codes.status_code == 200
    assert client.get("/admin/").status_code == 200
    client.logout()

    # Next time the password alone is not enough.
    response = sign_in(client)
    assert response["Location"] == reverse("mfa_authenticate")
    assert not signed_in(client)
    assert client.get("/admin/").status_code == 302

    wrong = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret, offset=-2)})
    assert wrong.status_code == 200 and not signed_in(client)  # an old code

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert signed_in(client)
    assert client.get("/admin/").status_code == 200


def test_a_recovery_code_signs_in_when_the_phone_is_lost(client, staff, require):
    sign_in(client)
    enrol(client)
    recovery = client.get(reverse("mfa_view_recovery_codes")).context["unused_codes"][0]
    client.logout()

    sign_in(client)
    response = client.post(reverse("mfa_authenticate"), {"code": recovery})

    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_the_admin_login_form_cannot_skip_the_second_factor(client, staff, require):
    sign_in(client)
    enrol(client)
    client.logout()

    client.post("/admin/login/", {"username": "desk", "password": PASSWORD, "next": "/admin/"})

    assert not signed_in(client)


def test_an_administrator_resets_a_lost_device(client, staff, require):
    sign_in(client)
    enrol(client)
    client.logout()

    call_command("reset_mfa", "desk", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert not Authenticator.objects.filter(user=staff).exists()
    assert sign_in(client)["Location"] == "/admin/"  # the password again, then enrol anew
    assert client.get("/admin/")["Location"] == ACTIVATE
