"""Responsive renditions: made once on save by sorl-thumbnail, shown with srcset, sizes, width and height."""

import io
import re

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from PIL import Image
from sorl.thumbnail import default as sorl_default

from articles import renditions
from articles.models import Photo
from core.tests.images import grey_16_bit_png, image_bytes, uploaded_file

from .factories import jpeg_upload, make_article, make_author, make_photo, make_section
from .test_admin import form_post_data, photo_fields
from .test_uploads import editor, phone_jpeg, upload  # noqa: F401 (editor is a fixture)

pytestmark = pytest.mark.django_db


def opened(name):
    with default_storage.open(name) as file:
        image = Image.open(io.BytesIO(file.read()))
        image.load()
        return image


def rendition_names(photo):
    return sorted(renditions.names(photo.renditions))


def original_img(photo):
    """The plain <img> of the original file, as the story page showed every photo before renditions."""
    attributes = f'alt="{photo.alt_text}" width="{photo.width}" height="{photo.height}" fetchpriority="high"'
    return f'<img src="{photo.image.url}" {attributes}>'


def figure_of(html, css_class):
    start = html.index(f'class="{css_class}"')
    return html[start : html.index("</picture>", start)]


def test_renditions_are_made_on_save_in_each_width_up_to_the_photo_as_webp_and_jpeg():
    photo = make_photo(image=jpeg_upload(width=1000, height=600))

    assert photo.renditions["source"] == photo.image.name
    for key, image_format in (("webp", "WEBP"), ("jpeg", "JPEG")):
        made = photo.renditions[key]
        assert [item["width"] for item in made] == [320, 480, 640, 960]
        for item in made:
            assert item["name"].startswith("renditions/")
            image = opened(item["name"])
            assert image.format == image_format
            assert image.size == (item["width"], item["height"])
            assert item["height"] == round(item["width"] * 600 / 1000)
            assert not image.getexif()


def test_a_photo_narrower_than_every_width_gets_one_rendition_of_its_own_size():
    photo = make_photo(image=jpeg_upload(width=200, height=120))

    for key in ("webp", "jpeg"):
        assert [(item["width"], item["height"]) for item in photo.renditions[key]] == [(200, 120)]
        assert opened(photo.renditions[key][0]["name"]).size == (200, 120)  # not blown up


def test_exif_orientation_is_applied_to_the_renditions(client, editor):  # noqa: F811
    # Shot sideways on a phone: stored 800 × 400 with Orientation 6, meant as 400 × 800.
    assert upload(client, phone_jpeg(800, 400, orientation=6), "sideways.jpg").status_code == 302

    photo = Photo.objects.get()
    for key in ("webp", "jpeg"):
        made = photo.renditions[key]
        assert [(item["width"], item["height"]) for item in made] == [(320, 640)]
        image = opened(made[0]["name"]).convert("RGB")
        assert image.size == (320, 640)
        red, _green, blue = image.getpixel((160, 100))  # the left (red) half of the shot is on top
        assert red > 150 and blue < 80
        red, _green, blue = image.getpixel((160, 540))
        assert blue > 150 and red < 80


def test_saving_again_without_a_new_picture_makes_nothing(monkeypatch):
    photo = make_photo()
    monkeypatch.setattr(renditions, "get_thumbnail", pytest.fail)

    photo.caption = "New caption"
    photo.save()


def test_a_new_picture_gets_new_renditions_and_the_old_files_go(django_capture_on_commit_callbacks):
    photo = make_photo(image=jpeg_upload(width=700, height=400))
    old = rendition_names(photo)

    with django_capture_on_commit_callbacks(execute=True):
        photo.image = jpeg_upload(width=500, height=500)
        photo.save()

    assert photo.renditions["source"] == photo.image.name
    assert [item["width"] for item in photo.renditions["jpeg"]] == [320, 480]
    assert all(default_storage.exists(name) for name in rendition_names(photo))
    assert not any(default_storage.exists(name) for name in old)


def test_replacing_the_picture_in_the_admin_remakes_the_renditions(
    client,
    editor,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    photo = make_photo(image=jpeg_upload(width=700, height=400))
    old = rendition_names(photo)
    url = f"/admin/articles/photo/{photo.pk}/change/"
    data = form_post_data(client, url, **photo_fields(jpeg_upload(width=400, height=400)))

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, data).status_code == 302

    photo.refresh_from_db()
    assert photo.renditions["source"] == photo.image.name
    assert [(item["width"], item["height"]) for item in photo.renditions["webp"]] == [(320, 320)]
    assert all(default_storage.exists(name) for name in rendition_names(photo))
    assert not any(default_storage.exists(name) for name in old)


@pytest.mark.parametrize("how", ["instance", "queryset"])
def test_deleting_a_photo_deletes_its_rendition_files(how, django_capture_on_commit_callbacks):
    photo = make_photo(image=jpeg_upload(width=700, height=400))
    names = rendition_names(photo)
    # 320, 480, 640 of the whole; 16:9 320 and 640, 4:3 and 1:1 320 wide: 7, as WebP and JPEG.
    assert len(names) == 14 and all(default_storage.exists(name) for name in names)

    with django_capture_on_commit_callbacks(execute=True):
        if how == "instance":
            photo.delete()
        else:  # the admin's "delete selected"
            Photo.objects.filter(pk=photo.pk).delete()

    assert not any(default_storage.exists(name) for name in names)


def test_admin_delete_removes_the_rendition_files(admin_client, django_capture_on_commit_callbacks):
    photo = make_photo(image=jpeg_upload(width=700, height=400))
    names = rendition_names(photo)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"/admin/articles/photo/{photo.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not Photo.objects.exists()
    assert not any(default_storage.exists(name) for name in names)


def test_a_failed_rendition_keeps_the_photo_and_shows_the_original(client, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(renditions, "get_thumbnail", broken)
    photo = make_photo()
    story = make_article(main_photo=photo)

    assert photo.renditions == {"source": photo.image.name, "focal": [0.5, 0.5], "failed": True}
    html = client.get(story.get_absolute_url()).content.decode()
    assert original_img(photo) in html


def test_story_page_shows_the_main_photo_as_a_picture_not_lazy(client, monkeypatch):
    photo = make_photo(image=jpeg_upload(width=1000, height=600), alt_text="Delegates at the table")
    story = make_article(main_photo=photo)
    # Drawing a page reads what the photo row holds: never sorl's key-value store.
    monkeypatch.setattr(sorl_default.kvstore, "_get", pytest.fail)

    figure = figure_of(client.get(story.get_absolute_url()).content.decode(), "story__photo")

    def srcset(sources):
        return ", ".join(f"{url} {width}w" for url, width, _height in sources)

    wide, four_three = photo.sources("16:9"), photo.sources("4:3")
    sizes = 'sizes="(min-width: 49rem) 46rem, 100vw"'
    # 16:9 from 49rem (1000 × 562 at most: 320, 640, 960 wide), 4:3 below (800 × 600: 320, 640).
    desktop, shape = 'media="(min-width: 49rem)"', 'width="960" height="540"'
    assert f'<source {desktop} type="image/webp" srcset="{srcset(wide["webp"])}" {sizes} {shape}>' in figure
    assert f'<source {desktop} srcset="{srcset(wide["jpeg"])}" {sizes} {shape}>' in figure
    assert f'<source type="image/webp" srcset="{srcset(four_three["webp"])}" {sizes}>' in figure
    jpeg = four_three["jpeg"]
    assert [(width, height) for _url, width, height in jpeg] == [(320, 240), (640, 480)]
    assert f'src="{jpeg[1][0]}"' in figure  # for browsers without srcset
    assert f'srcset="{srcset(jpeg)}" {sizes}' in figure
    assert 'alt="Delegates at the table" width="640" height="480" fetchpriority="high">' in figure
    assert "loading=" not in figure
    assert photo.image.url not in figure  # the original is never sent to readers


def test_front_page_teasers_are_pictures_lazy_below_the_fold(client):
    section = make_section("World", slug="world")
    for n in range(6):
        photo = make_photo(image=jpeg_upload(width=700, height=420))
        make_article(f"Story {n}", section=section, main_photo=photo)

    html = client.get("/").content.decode()

    top = figure_of(html, "front__top")
    assert "fetchpriority=" in top and "loading=" not in top
    assert 'sizes="(min-width: 74rem) 47rem, (min-width: 56rem) 64vw, 100vw"' in top
    assert 'width="640" height="360"' in top  # the 16:9 crop of its slot
    blocks = html[html.index('class="section-blocks"') :]
    lazy = re.findall(r"<img [^>]*>", blocks)
    assert lazy and all('loading="lazy"' in img and "srcset=" in img for img in lazy)
    assert html.count("<picture>") == html.count("<img ")  # every photo on the page is a picture


def test_photos_from_before_renditions_show_their_original(client):
    photo = make_photo()
    Photo.objects.filter(pk=photo.pk).update(renditions={})
    story = make_article(main_photo=photo)

    html = client.get(story.get_absolute_url()).content.decode()

    assert "<picture>" not in html
    assert original_img(photo) in html


def test_make_renditions_command_makes_them_for_older_photos(django_capture_on_commit_callbacks):
    done, old = make_photo(), make_photo(image=jpeg_upload(width=500, height=300))
    Photo.objects.filter(pk=old.pk).update(renditions={})
    before = Photo.objects.get(pk=done.pk).renditions

    out = io.StringIO()
    call_command("make_renditions", "--missing", stdout=out)

    assert "Made the renditions of 1 photos" in out.getvalue()
    assert Photo.objects.get(pk=done.pk).renditions == before
    old.refresh_from_db()
    assert [item["width"] for item in old.renditions["webp"]] == [320, 480]

    # Everything again, e.g. after the widths changed: the files are made anew and kept.
    for name in rendition_names(old):
        default_storage.delete(name)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("make_renditions", stdout=out)
    old.refresh_from_db()
    assert all(default_storage.exists(name) for name in rendition_names(old))


def test_author_page_shows_the_portrait_from_its_renditions(client):
    author = make_author("Ann Lee", photo=make_photo(image=jpeg_upload(width=600, height=600)))

    html = client.get(author.get_absolute_url()).content.decode()

    img = re.search(r'<img class="author-photo" [^>]*>', html).group()
    assert 'sizes="(min-width: 40rem) 7rem, 4.5rem"' in img and 'width="320" height="320"' in img  # 1:1
    assert author.photo.image.url not in html


def test_a_16_bit_grey_png_gets_renditions_as_bright_as_the_original():
    from PIL import ImageStat

    data = grey_16_bit_png(800, 600)
    with Image.open(io.BytesIO(data)) as original:
        values = list(original.get_flattened_data())
    expected = sum(values) / len(values) / 256  # 16-bit values, 0 to 65535: about 128

    photo = make_photo(image=uploaded_file(data, "scan.png", "image/png"))

    stored = opened(photo.image.name)
    assert abs(ImageStat.Stat(stored.convert("L")).mean[0] - expected) < 3
    assert photo.renditions["jpeg"] and photo.renditions["webp"]
    for name in rendition_names(photo):
        mean = ImageStat.Stat(opened(name).convert("L")).mean[0]
        assert abs(mean - expected) < 3, (name, mean, expected)  # not 255: white


def test_the_source_is_decoded_once_for_all_its_renditions_widest_first(monkeypatch):
    from sorl.thumbnail.engines.pil_engine import Engine as PILEngine

    opened_sources = []
    open_source = PILEngine.get_image

    def get_image(self, source):
        opened_sources.append(source.name)
        return open_source(self, source)

    monkeypatch.setattr(PILEngine, "get_image", get_image)
    photo = make_photo(image=jpeg_upload(width=1600, height=1000, noisy=True))

    # 6 widths of the whole; crops 16:9 at 5, 4:3 (1333 × 1000) at 4, 1:1 (1000) at 3: as WebP and JPEG.
    assert len(renditions.names(photo.renditions)) == 36
    assert opened_sources == [photo.image.name]
    assert [item["width"] for item in photo.renditions["jpeg"]] == list(renditions.WIDTHS)  # narrowest first
    # Decoded big enough for the tallest: the 1:1 crop 960 high from a 1000-pixel-high picture.
    assert [(item["width"], item["height"]) for item in photo.renditions["crops"]["1:1"]["jpeg"]] == [
        (320, 320),
        (640, 640),
        (960, 960),
    ]
    for item in renditions.items(photo.renditions):
        assert opened(item["name"]).size == (item["width"], item["height"])


def test_a_big_source_is_scaled_once_to_what_the_largest_rendition_needs_keeping_exact_widths(monkeypatch):
    monkeypatch.setattr(renditions, "WIDTHS", (320, 480))
    monkeypatch.setattr(renditions, "CROP_WIDTHS", (320, 480))
    scaled = []
    scale = renditions.Engine._scale

    def recording_scale(self, image, width, height):
        scaled.append((image.size, (width, height)))
        return scale(self, image, width, height)

    monkeypatch.setattr(renditions.Engine, "_scale", recording_scale)
    # A PNG: a JPEG would be decoded at half size already (750 × 500), not worth another scaling.
    photo = make_photo(image=uploaded_file(image_bytes(1500, 1000, "PNG"), "big.png", "image/png"))

    # The 480 × 480 crop needs 480 pixels of height: 720 × 480, the same 3:2, and all from that.
    assert scaled[0] == ((1500, 1000), (720, 480))
    assert all(source == (720, 480) for source, _size in scaled[1:])
    assert [(item["width"], item["height"]) for item in photo.renditions["jpeg"]] == [(320, 213), (480, 320)]
    for ratio, height in (("16:9", 270), ("4:3", 360), ("1:1", 480)):
        assert [(item["width"], item["height"]) for item in photo.renditions["crops"][ratio]["webp"]][-1] == (
            480,
            height,
        )
    for item in renditions.items(photo.renditions):
        assert opened(item["name"]).size == (item["width"], item["height"])
