"""The focal point: crops in 16:9, 4:3 and 1:1 are cut around it, so a face is never cut off."""

import io

import pytest
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from PIL import Image, ImageDraw

from articles import renditions
from articles.models import Photo
from core.tests.images import uploaded_file

from .factories import make_photo
from .test_admin import form_post_data, photo_fields
from .test_renditions import opened, rendition_names
from .test_uploads import editor  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

RED = (220, 20, 20)


def face_on_the_left(width=1600, height=900):
    """White, with a red "face" around (200, 450): a centre crop of a square would miss it."""
    image = Image.new("RGB", (width, height), "white")
    ImageDraw.Draw(image).ellipse((100, 350, 300, 550), fill=RED)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95)
    return uploaded_file(buffer.getvalue(), "face.jpg")


def red_share(name):
    image = opened(name).convert("RGB")
    reds = sum(1 for r, g, b in image.get_flattened_data() if r > 150 and g < 90 and b < 90)
    return reds / (image.width * image.height)


@pytest.mark.parametrize(
    ("focal", "expected"),
    [
        ((0.5, 0.5), "50% 50%"),
        ((0.125, 0.5), "0% 50%"),  # near the left edge: the box stops at it
        ((0.9, 0.5), "100% 50%"),
        ((0.4, 0.5), "27% 50%"),  # box 900 wide centred on 640: starts at 190 of the 700 spare
    ],
)
def test_the_crop_box_is_centred_on_the_focal_point_and_kept_inside(focal, expected):
    assert renditions.crop_box(1600, 900, "1:1") == (900, 900)
    assert renditions.crop_position(1600, 900, "1:1", focal) == expected


def test_crops_in_three_shapes_up_to_1200_and_more_where_the_picture_allows():
    photo = make_photo(image=face_on_the_left())

    crops = photo.renditions["crops"]
    assert set(crops) == {"16:9", "4:3", "1:1"}  # a JSON object: PostgreSQL keeps no key order
    sizes = {ratio: [(item["width"], item["height"]) for item in crops[ratio]["jpeg"]] for ratio in crops}
    assert sizes == {
        "16:9": [(320, 180), (640, 360), (960, 540), (1200, 675), (1600, 900)],
        "4:3": [(320, 240), (640, 480), (960, 720), (1200, 900)],  # 1200 × 900: the whole height
        "1:1": [(320, 320), (640, 640)],  # 900 × 900 at most
    }
    for ratio in crops:
        assert [item["width"] for item in crops[ratio]["webp"]] == [width for width, _ in sizes[ratio]]
        for item in crops[ratio]["jpeg"] + crops[ratio]["webp"]:
            assert opened(item["name"]).size == (item["width"], item["height"])


def test_the_square_crop_keeps_the_face_a_centre_crop_would_cut_off():
    centred = make_photo(image=face_on_the_left())
    face = make_photo(image=face_on_the_left(), focal_x=0.125, focal_y=0.5)

    assert red_share(centred.renditions["crops"]["1:1"]["jpeg"][-1]["name"]) == 0
    square = face.renditions["crops"]["1:1"]["jpeg"][-1]["name"]
    # The whole circle (π × 100², of 900 × 900) is in the square, on its left.
    assert red_share(square) == pytest.approx(3.1416 * 100**2 / 900**2, rel=0.1)
    assert opened(square).convert("RGB").getpixel((142, 320)) == pytest.approx(RED, abs=40)


def test_a_new_focal_point_remakes_the_crops_it_moves(django_capture_on_commit_callbacks):
    photo = make_photo(image=face_on_the_left(800, 450))
    before = photo.renditions

    with django_capture_on_commit_callbacks(execute=True):
        photo.focal_x, photo.focal_y = 0.2, 0.4
        photo.save()

    photo.refresh_from_db()
    after = photo.renditions
    assert after["focal"] == [0.2, 0.4] and photo.renditions_ready()
    # The whole picture's files stay; so does the 16:9 crop of a 16:9 picture (all of it).
    assert (after["webp"], after["jpeg"]) == (before["webp"], before["jpeg"])
    assert after["crops"]["16:9"] == before["crops"]["16:9"]
    for ratio in ("4:3", "1:1"):
        old = {item["name"] for key in ("webp", "jpeg") for item in before["crops"][ratio][key]}
        new = {item["name"] for key in ("webp", "jpeg") for item in after["crops"][ratio][key]}
        assert old and not old & new
        assert not any(default_storage.exists(name) for name in old)
    assert all(default_storage.exists(name) for name in rendition_names(photo))


@pytest.mark.parametrize(("field", "value"), [("focal_x", "1.5"), ("focal_y", "-0.1")])
def test_a_focal_point_outside_the_picture_is_refused_and_the_form_kept(client, editor, field, value):  # noqa: F811
    photo = make_photo()
    url = f"/admin/articles/photo/{photo.pk}/change/"
    data = form_post_data(client, url, **photo_fields("", caption="Typed caption", **{field: value}))

    response = client.post(url, data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert field in errors
    message = errors[field][0]
    assert "less than or equal to 1" in message or "greater than or equal to 0" in message
    content = response.content.decode()
    assert "Typed caption" in content and f'value="{value}"' in content
    photo.refresh_from_db()
    assert (photo.focal_x, photo.focal_y, photo.caption) == (0.5, 0.5, photo.caption)


@pytest.mark.parametrize("focal", [{"focal_x": 1.01}, {"focal_y": -0.5}])
def test_the_database_refuses_a_focal_point_outside_the_picture(focal):
    photo = make_photo()

    with pytest.raises(IntegrityError), transaction.atomic():
        Photo.objects.filter(pk=photo.pk).update(**focal)


def test_the_admin_sets_the_focal_point_and_says_the_crops_are_being_made(client, editor, settings):  # noqa: F811
    photo = make_photo(image=face_on_the_left(800, 450))
    url = f"/admin/articles/photo/{photo.pk}/change/"

    page = client.get(url).content.decode()
    assert "data-focal-picker" in page and "admin/newsroom-focal-point.js" in page
    assert 'data-focal="x"' in page and 'data-focal="y"' in page

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # a worker's, later
    data = form_post_data(client, url, **photo_fields("", focal_x="0.125", focal_y="0.5"))
    response = client.post(url, data, follow=True)

    messages = [str(message) for message in response.context["messages"]]
    assert messages[0].startswith("The crops are being made again around the new focal point")
    photo.refresh_from_db()
    assert (photo.focal_x, photo.focal_y) == (0.125, 0.5)
    assert photo.renditions["focal"] == [0.5, 0.5]  # the old crops, until the worker has run
