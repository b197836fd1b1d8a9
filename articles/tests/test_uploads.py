"""Uploaded pictures: what Pillow says they are, re-encoded upright without metadata, stored safely."""

import io
import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from PIL import ExifTags, Image, ImageFile
from pytest_django.asserts import assertContains

from articles.models import Photo
from core.images import ImageUploadField, check_image
from core.storage import MediaStorage
from core.tests.images import (
    fill_the_disk,
    image_bytes,
    media_files,
    mpo_bytes,
    phone_jpeg,
    png_header_only,
    uploaded_file,
)

from .factories import make_photo, make_user
from .test_admin import form_post_data, photo_fields

pytestmark = pytest.mark.django_db

PHOTOS_ADD = "/admin/articles/photo/add/"
RANDOM_NAME = r"photos/\d{4}/\d{2}/[0-9a-f]{24}\.%s"


@pytest.fixture
def editor(client):
    user = make_user("editor")
    client.force_login(user)
    return user


def png_with_text(width=60, height=40):
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", "Shot at 55.7558 N, 37.6173 E by Rita")
    buffer = io.BytesIO()
    Image.new("RGBA", (width, height), (10, 200, 10, 128)).save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue()


def upload(client, content, name, content_type="image/jpeg", **fields):
    data = form_post_data(
        client, PHOTOS_ADD, **photo_fields(uploaded_file(content, name, content_type), **fields)
    )
    return client.post(PHOTOS_ADD, data)


def stored(photo):
    with photo.image.open("rb") as file:
        return file.read()


def test_gps_and_every_exif_field_are_gone_after_upload(client, editor):
    original = phone_jpeg()
    with Image.open(io.BytesIO(original)) as image:
        assert image.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the test file does carry a position

    assert upload(client, original, "IMG_0001.JPG").status_code == 302

    data = stored(Photo.objects.get())
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert dict(image.getexif()) == {}
        assert "exif" not in image.info
    assert b"Exif" not in data and b"PhoneMaker" not in data


def test_exif_orientation_is_applied_before_the_metadata_goes(client, editor):
    assert upload(client, phone_jpeg(200, 100, orientation=6), "sideways.jpg").status_code == 302

    photo = Photo.objects.get()
    assert (photo.width, photo.height) == (100, 200)  # turned a quarter clockwise, as the phone meant
    with Image.open(io.BytesIO(stored(photo))) as image:
        assert image.size == (100, 200)
        red, _green, blue = image.getpixel((50, 20))  # the left half of the shot is now on top
        assert red > 150 and blue < 80
        red, _green, blue = image.getpixel((50, 180))
        assert blue > 150 and red < 80


def test_png_named_jpg_is_stored_as_png_under_a_random_name(client, editor):
    assert upload(client, png_with_text(), "holiday.jpg").status_code == 302

    photo = Photo.objects.get()
    assert re.fullmatch(RANDOM_NAME % "png", photo.image.name), photo.image.name
    data = stored(photo)
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "PNG"
        assert image.mode == "RGBA"  # transparency kept
        assert "Comment" not in image.info  # text chunks are metadata too
    assert b"Rita" not in data


@pytest.mark.parametrize(
    ("image_format", "name", "extension"),
    [("WEBP", "photo.gif", "webp"), ("GIF", "photo.png", "gif"), ("JPEG", "photo.webp", "jpg")],
)
def test_stored_extension_is_that_of_the_real_format(client, editor, image_format, name, extension):
    assert upload(client, image_bytes(80, 60, image_format), name).status_code == 302

    photo = Photo.objects.get()
    assert re.fullmatch(RANDOM_NAME % extension, photo.image.name), photo.image.name
    with Image.open(io.BytesIO(stored(photo))) as image:
        assert image.format == image_format


def test_names_are_random_and_never_the_uploaders(client, editor):
    for _ in range(2):
        assert upload(client, image_bytes(80, 60), "Minister's secret meeting.jpg").status_code == 302

    first, second = (photo.image.name for photo in Photo.objects.order_by("pk"))
    assert first != second
    assert "secret" not in first + second


def test_photos_made_in_code_are_re_encoded_too():
    photo = make_photo()
    Photo.objects.filter(pk=photo.pk).update()  # a normal row
    assert Path(photo.image.name).suffix == ".jpg"
    photo.image = uploaded_file(phone_jpeg(), "x.png")
    photo.save()
    with Image.open(io.BytesIO(stored(photo))) as image:
        assert dict(image.getexif()) == {} and image.size == (100, 200)


def test_svg_is_refused(client, editor, settings):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'

    response = upload(client, svg, "logo.svg", "image/svg+xml")

    assert response.status_code == 200
    assertContains(response, "This file is not an image we can read. Upload a JPEG, PNG, WebP or GIF.")
    assert not Photo.objects.exists()
    assert media_files(settings) == []


def test_decompression_bomb_is_refused_from_its_header_without_decoding(
    client, editor, settings, monkeypatch
):
    bomb = png_header_only(50_000, 50_000)  # 2.5 gigapixels in 100 bytes
    assert len(bomb) < 200

    def never(self, *args, **kwargs):
        raise AssertionError("the bomb was decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", never)
    monkeypatch.setattr(Image.Image, "load", never)
    with pytest.raises(ValidationError) as refused:
        ImageUploadField().clean(uploaded_file(bomb, "bomb.png", "image/png"))
    assert refused.value.code == "too_many_pixels"
    with pytest.raises(ValidationError):
        check_image(io.BytesIO(bomb))

    response = upload(client, bomb, "bomb.png", "image/png", caption="Typed caption stays")

    assert response.status_code == 200
    assertContains(response, "more than the 40 megapixels allowed, too many to be processed safely")
    assertContains(response, "Typed caption stays")
    assert not Photo.objects.exists()
    assert media_files(settings) == []


def test_pillows_own_limit_is_the_sites_limit(settings):
    assert Image.MAX_IMAGE_PIXELS == settings.PHOTO_MAX_PIXELS
    settings.PHOTO_MAX_PIXELS = 1234
    assert Image.MAX_IMAGE_PIXELS == 1234


def test_pillows_bomb_warning_is_an_error_outside_our_checks(settings):
    from core.images import bomb_warnings_are_errors

    settings.PHOTO_MAX_PIXELS = 10_000
    bomb_warnings_are_errors()  # done at start-up (ArticlesConfig.ready); pytest resets filters per test
    with pytest.raises(Image.DecompressionBombWarning):
        Image.open(io.BytesIO(image_bytes(120, 100)))


def test_just_over_the_limit_is_an_error_with_the_size(settings):
    settings.PHOTO_MAX_PIXELS = 10_000  # 120 × 100: over the limit, under Pillow's "twice" error
    with pytest.raises(ValidationError, match="120 × 100 pixels, more than the 0.01 megapixels"):
        ImageUploadField().clean(uploaded_file(image_bytes(120, 100), "a.jpg"))


def test_size_limit_is_checked_before_pillow_opens_the_file(settings, monkeypatch):
    settings.PHOTO_MAX_UPLOAD_BYTES = 100

    def never(*args, **kwargs):
        raise AssertionError("Pillow opened an oversized file")

    monkeypatch.setattr(Image, "open", never)
    with pytest.raises(ValidationError) as refused:
        ImageUploadField().clean(uploaded_file(image_bytes(80, 60), "a.jpg"))
    assert "the limit is 100\xa0bytes" in refused.value.messages[0]


# A full disk. A real ENOSPC needs a small file system (tmpfs, a loop device), which needs privileges
# the test run may not have; instead the storage's temporary file really writes the first bytes to
# disk and then fails as write(2) does on a full disk: OSError(ENOSPC).


@pytest.fixture
def full_disk(settings):
    fill_the_disk(settings)


def test_full_disk_is_a_readable_form_error_and_leaves_no_partial_file(client, editor, settings, full_disk):
    response = upload(client, image_bytes(400, 300, noisy=True), "big.jpg", caption="Typed caption stays")

    assert response.status_code == 200
    assertContains(response, "The server has no room for this picture right now, so it was not saved.")
    assertContains(response, "Typed caption stays")
    assert not Photo.objects.exists()
    assert media_files(settings) == []  # neither the half-written temporary file nor the reserved name


def test_storage_never_overwrites_a_file_that_has_the_name(settings):
    storage = MediaStorage(location=settings.MEDIA_ROOT)
    from django.core.files.base import ContentFile

    first = storage.save("photos/a.jpg", ContentFile(b"first"))
    second = storage._save("photos/a.jpg", ContentFile(b"second"))

    assert first != second
    assert storage.open(first).read() == b"first"
    assert storage.open(second).read() == b"second"
    assert sorted(path.name for path in media_files(settings)) == sorted(
        [Path(first).name, Path(second).name]
    )


def animated_gif(frames, size=(40, 30)):
    images = [Image.new("RGB", size, (40 * n % 256, 90, 200)) for n in range(frames)]
    buffer = io.BytesIO()
    images[0].save(buffer, "GIF", save_all=True, append_images=images[1:], duration=50, loop=0)
    return buffer.getvalue()


def test_animated_gif_keeps_its_frames(client, editor):
    assert upload(client, animated_gif(3), "moving.gif", "image/gif").status_code == 302

    with Image.open(io.BytesIO(stored(Photo.objects.get()))) as image:
        assert image.format == "GIF" and image.n_frames == 3


def test_animation_counts_the_pixels_of_every_frame(settings):
    settings.PHOTO_MAX_PIXELS = 40 * 30 * 5  # five frames' worth

    with pytest.raises(ValidationError) as refused:
        ImageUploadField().clean(uploaded_file(animated_gif(6), "moving.gif", "image/gif"))

    assert "6 frames of 40 × 30 pixels" in refused.value.messages[0]


def test_an_upload_is_decoded_once_for_checking(monkeypatch):
    from articles.admin import PhotoAdminForm
    from core import images

    decoded = []
    check = images.check_image
    monkeypatch.setattr(
        images, "check_image", lambda file, **options: decoded.append(file) or check(file, **options)
    )
    upload = uploaded_file(image_bytes(80, 60), "a.jpg")
    form = PhotoAdminForm(data={"alt_text": "x"}, files={"image": upload})

    assert form.is_valid(), form.errors
    assert len(decoded) == 1  # by the form's field; the model's validator trusts it


def test_a_multi_picture_jpeg_from_a_camera_is_accepted_and_stored_as_a_jpeg(client, editor):
    response = upload(client, mpo_bytes(320, 240), "IMG_0001.JPG")

    assert response.status_code == 302, response.content.decode()[:2000]
    photo = Photo.objects.get()
    assert re.fullmatch(RANDOM_NAME % "jpg", photo.image.name), photo.image.name
    with Image.open(io.BytesIO(stored(photo))) as image:
        assert image.format == "JPEG" and image.size == (320, 240)  # the first picture only
        assert image.getpixel((10, 10))[0] > 150  # red, the photo; the second picture is blue


# A JPEG is decoded at the smallest of 1/2, 1/4, 1/8 that keeps half the side allowed (here 1/4).
@pytest.mark.parametrize(("image_format", "size"), [("JPEG", (250, 150)), ("PNG", (400, 240))])
def test_a_big_photo_is_stored_no_bigger_than_the_longest_side_allowed(
    client, editor, settings, image_format, size
):
    settings.PHOTO_MAX_STORED_SIDE = 400
    name = f"big.{image_format.lower()}"
    assert upload(client, image_bytes(1000, 600, image_format, noisy=True), name).status_code == 302

    photo = Photo.objects.get()
    assert (photo.width, photo.height) == size
    with Image.open(io.BytesIO(stored(photo))) as image:
        assert image.size == size and image.format == image_format


def test_a_big_jpeg_is_decoded_at_reduced_size_but_whole(settings):
    from core.images import decode

    settings.PHOTO_MAX_STORED_SIDE = 400
    with decode(uploaded_file(image_bytes(1600, 1200))) as image:
        assert image.size == (200, 150)  # 1/8 scale: still half the stored side
    # A reduced decode still reads every byte: a cut-off file is refused.
    data = image_bytes(1600, 1200, noisy=True)
    with pytest.raises(ValidationError, match="damaged or incomplete"):
        check_image(uploaded_file(data[: len(data) // 2]))
