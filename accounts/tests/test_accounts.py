import io
import re

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core import mail
from django.urls import reverse
from django.utils.html import escape
from PIL import Image
from pytest_django.asserts import assertContains, assertNotContains

from accounts.models import AVATAR_SIZE, Profile, colour_index, display_name, initials
from core.markup import INVISIBLE_NAME

pytestmark = pytest.mark.django_db

PASSWORD = "a-Long-and-unusual-passphrase-42"


def png_upload(width=400, height=300, name="me.png"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    buffer = io.BytesIO()
    Image.new("RGBA", (width, height), (20, 120, 200, 255)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def make_account(email="reader@example.com", name="Rita Reader", verified=True):
    from allauth.account.models import EmailAddress

    user = User.objects.create_user("rita", email, PASSWORD)
    Profile.objects.filter(user=user).update(display_name=name)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=verified)
    return user


def test_signup_asks_for_a_display_name_and_sends_a_confirmation(client):
    page = client.get(reverse("account_signup"))
    assertContains(page, 'class="masthead')  # the site's own frame
    assertContains(page, 'name="display_name"')
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new@example.com",
            "display_name": "  New   Reader ",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="new@example.com")
    assert user.profile.display_name == "New Reader"
    assert len(mail.outbox) == 1
    assert "new@example.com" in mail.outbox[0].to
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)
    # Confirming the address lets the reader sign in.
    path = link.split("testserver", 1)[1]
    assert client.get(path).status_code == 200
    client.post(path)
    from allauth.account.models import EmailAddress

    assert EmailAddress.objects.get(email="new@example.com").verified


def test_unconfirmed_accounts_cannot_sign_in(client):
    make_account(verified=False)
    response = client.post(reverse("account_login"), {"login": "reader@example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert "confirm-email" in response["Location"] or "verification" in response["Location"]
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_an_email(client):
    make_account()
    response = client.post(reverse("account_reset_password"), {"email": "reader@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_profile_needs_an_account(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_profile_sets_display_name_and_a_square_avatar(client):
    user = make_account()
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile"), {"display_name": "Rita R.", "avatar": png_upload(400, 300)}
    )
    assert response.status_code == 302
    profile = Profile.objects.get(user=user)
    assert profile.display_name == "Rita R."
    with Image.open(profile.avatar.path) as image:
        assert image.size == (AVATAR_SIZE, AVATAR_SIZE)
        assert image.format == "JPEG"
    first = profile.avatar.name
    assert not first.endswith("me.png") and first.startswith("avatars/")
    # A new picture replaces the old file.
    client.post(reverse("accounts:profile"), {"display_name": "Rita R.", "avatar": png_upload(100, 500)})
    profile.refresh_from_db()
    assert profile.avatar.name != first
    assert not profile.avatar.storage.exists(first)
    page = client.get(reverse("accounts:profile"))
    assertContains(page, "Your profile is saved.")
    assertContains(page, f'src="{profile.avatar.url}"')


def test_profile_refuses_files_that_are_not_images(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(make_account())
    fake = SimpleUploadedFile("me.jpg", b"<?php echo 1; ?>", content_type="image/jpeg")
    response = client.post(reverse("accounts:profile"), {"display_name": "Rita", "avatar": fake})
    assert response.status_code == 200
    assertContains(response, "field__error")
    assert not Profile.objects.get(display_name="Rita Reader").avatar


def test_profile_requires_a_display_name(client):
    client.force_login(make_account())
    response = client.post(reverse("accounts:profile"), {"display_name": "   "})
    assertContains(response, "Enter the name to show with your comments.")


INVISIBLE_NAMES = ["\u3164", "\u2800\u2800", "\u0301\u0302", "\u200b\u3164 \u115f", "\u20dd\ufeff"]


@pytest.mark.parametrize("name", INVISIBLE_NAMES)
def test_profile_refuses_a_name_that_shows_nothing(client, name):
    client.force_login(make_account())
    response = client.post(reverse("accounts:profile"), {"display_name": name})
    assertContains(response, escape(INVISIBLE_NAME))
    assert Profile.objects.get().display_name == "Rita Reader"


@pytest.mark.parametrize("name", INVISIBLE_NAMES)
def test_signup_refuses_a_name_that_shows_nothing(client, name):
    data = {"email": "new@example.com", "display_name": name, "password1": PASSWORD, "password2": PASSWORD}
    response = client.post(reverse("account_signup"), data)
    assertContains(response, escape(INVISIBLE_NAME))
    assert not User.objects.filter(email="new@example.com").exists()


def test_display_name_never_falls_back_to_email_or_username():
    user = User.objects.create_user("secretlogin", "secret@example.com", "x")
    assert display_name(user) == f"Reader {user.pk}"
    user.first_name, user.last_name = "Ada", "Lovelace"
    assert display_name(user) == "Ada Lovelace"


def test_initials_and_colours_are_stable():
    assert initials("Olga Petrova") == "OP"
    assert initials("anna") == "A"
    assert initials("  «Max»  von  Berg ") == "MV"
    assert initials("!!!") == "?"
    assert colour_index("Olga Petrova") == colour_index(" olga petrova ")
    assert 0 <= colour_index("x") < 12


def test_facebook_is_off_by_default(client):
    assert "allauth.socialaccount.providers.facebook" not in settings.INSTALLED_APPS
    response = client.get(reverse("account_login"))
    assert response.status_code == 200
    assertNotContains(response, "Facebook")


def test_signing_up_from_a_story_comes_back_to_its_comment_form(client):
    story_form = "/world/2026/12/04/a-story/#comment-form"
    page = client.get(reverse("account_signup"), {"next": story_form})
    assertContains(page, f'name="next" value="{story_form}"')
    data = {"email": "lena@example.com", "display_name": "Lena M."}
    data |= {"password1": PASSWORD, "password2": PASSWORD}
    client.post(reverse("account_signup"), {**data, "next": story_form})
    [message] = mail.outbox
    # The site's name, not the host it was reached on; the reader's name, not their login name.
    assert message.subject == "[Newsroom] Please Confirm Your Email Address"
    assert message.body.startswith("Hello from Newsroom!") and "Thank you for using Newsroom!" in message.body
    username = User.objects.get(email="lena@example.com").username
    assert "Lena M." in message.body and f"user {username} " not in message.body
    path = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", message.body).group(1)
    response = client.post(path)
    assert response.status_code == 302 and response["Location"] == story_form
    assert client.get(reverse("accounts:profile")).status_code == 200  # signed in


def test_password_reset_email_never_shows_a_readers_login_name(client):
    user = make_account()
    client.post(reverse("account_reset_password"), {"email": user.email})
    [message] = mail.outbox
    assert user.username not in message.body
    assert message.subject.startswith("[Newsroom] ")
