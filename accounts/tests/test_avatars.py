"""Readers' avatars: re-encoded as a square JPEG without metadata; a full disk is a form error."""

import io
import re

import pytest
from django.urls import reverse
from PIL import Image
from pytest_django.asserts import assertContains

from accounts.models import Profile
from core.tests.images import fill_the_disk, image_bytes, media_files, phone_jpeg, uploaded_file

from .test_accounts import make_account

pytestmark = pytest.mark.django_db


def test_full_disk_on_avatar_upload_is_a_form_error(client, settings):
    fill_the_disk(settings)

    client.force_login(make_account())
    avatar = uploaded_file(image_bytes(400, 300, noisy=True), "me.jpg")

    response = client.post(reverse("accounts:profile"), {"display_name": "Rita R.", "avatar": avatar})

    assert response.status_code == 200
    assertContains(response, "The server has no room for this picture right now")
    assert not Profile.objects.get(display_name="Rita Reader").avatar
    assert media_files(settings) == []


def test_avatar_loses_its_gps_and_is_a_jpeg(client, settings):

    client.force_login(make_account())
    avatar = uploaded_file(phone_jpeg(), "me.png", "image/png")

    assert (
        client.post(reverse("accounts:profile"), {"display_name": "R", "avatar": avatar}).status_code == 302
    )

    profile = Profile.objects.get(display_name="R")
    assert re.fullmatch(r"avatars/[0-9a-f]{24}\.jpg", profile.avatar.name)
    with profile.avatar.open("rb") as file:
        data = file.read()
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG" and dict(image.getexif()) == {}
    assert b"Exif" not in data
