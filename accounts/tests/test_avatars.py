"""Readers' avatars: re-encoded as a square JPEG without metadata; a full disk is a form error."""

import io
import re

import pytest
from django.urls import reverse
from PIL import Image
from pytest_django.asserts import assertContains

from accounts.models import Profile
from core.tests.images import (
    fill_the_disk,
    image_bytes,
    media_files,
    phone_jpeg,
    png_header_only,
    uploaded_file,
)

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


def test_a_huge_avatar_is_refused_from_its_header_and_the_typed_name_kept(client, monkeypatch):
    def never(self):
        raise AssertionError("an avatar over the limit was decoded")

    client.force_login(make_account())
    monkeypatch.setattr(Image.Image, "load", never)
    avatar = uploaded_file(png_header_only(6300, 6300), "me.png", "image/png")

    response = client.post(reverse("accounts:profile"), {"display_name": "Typed Name", "avatar": avatar})

    assert response.status_code == 200
    assertContains(response, "6300 × 6300 pixels; for an avatar the limit is 16 megapixels")
    assertContains(response, 'value="Typed Name"')
    assert not Profile.objects.get(user__username="rita").avatar


def test_a_camera_jpeg_over_the_avatar_limit_is_accepted_decoded_at_an_eighth(client, monkeypatch):
    from core import images

    data = image_bytes(5000, 4000)  # 20 megapixels: over the limit for a PNG
    sizes = []
    decode = images.decode

    def recorded(*args, **kwargs):
        image = decode(*args, **kwargs)
        sizes.append(image.size)
        return image

    monkeypatch.setattr(images, "decode", recorded)
    client.force_login(make_account())

    response = client.post(reverse("accounts:profile"), {"display_name": "R", "avatar": uploaded_file(data)})

    assert response.status_code == 302
    assert sizes == [(625, 500)]


def test_a_big_jpeg_avatar_is_decoded_at_reduced_size(client):
    from core.images import decode

    data = image_bytes(2048, 1536, noisy=True)
    # 1/4 scale: the short side (384) still covers the 256-pixel square; 1/8 would not.
    with decode(uploaded_file(data), square=256) as image:
        assert image.size == (512, 384)

    client.force_login(make_account())
    response = client.post(reverse("accounts:profile"), {"display_name": "R", "avatar": uploaded_file(data)})

    assert response.status_code == 302
    with Profile.objects.get(display_name="R").avatar.open("rb") as file:
        assert Image.open(io.BytesIO(file.read())).size == (256, 256)


def test_profile_saves_are_rate_limited_and_the_typed_name_kept(client, settings, clean_cache, monkeypatch):
    settings.PROFILE_RATE_LIMIT = "2/3600"
    client.force_login(make_account())
    url = reverse("accounts:profile")
    for name in ("First", "Second"):
        assert client.post(url, {"display_name": name}).status_code == 302

    avatar = uploaded_file(image_bytes(400, 300), "me.jpg")
    decoded = []
    monkeypatch.setattr(Image.Image, "load", lambda self: decoded.append(self))
    response = client.post(url, {"display_name": "Third try", "avatar": avatar})

    assert response.status_code == 429
    assertContains(response, "saved your profile many times in a short while", status_code=429)
    assertContains(response, 'value="Third try"', status_code=429)
    assert decoded == []  # the upload was not even opened
    assert Profile.objects.get(user__username="rita").display_name == "Second"
