import io
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from PIL import Image

from articles.models import Article, Author, Photo, Section

pytestmark = pytest.mark.django_db


def seed(*args):
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def counts():
    return {model.__name__: model.objects.count() for model in (Section, Author, Photo, Article)}


@pytest.fixture(scope="module")
def demo_media(tmp_path_factory):
    return tmp_path_factory.mktemp("demo-media")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, demo_media):
    # Every test of this module reads the photos `seeded` drew, in one folder.
    settings.MEDIA_ROOT = demo_media
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, demo_media):
    """The demo, seeded once for the module (about 25 s: every photo's renditions), in a
    transaction rolled back after the module's last test; each test rolls back its own changes."""
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=demo_media), transaction.atomic():
        yield seed()
        transaction.set_rollback(True)


def test_seed_demo_fills_a_front_page(seeded):
    output = seeded

    public = Article.objects.published().prefetch_related("tags")
    assert "Demo content: created" in output
    assert Article.objects.count() >= 14
    assert public.count() >= 12
    oldest = public.order_by("published_at").first().published_at
    assert timezone.now() - oldest < timedelta(days=11)
    assert set(Section.objects.values_list("name", flat=True)) >= {
        "World", "Middle East", "Europe", "Business", "Science", "Sport", "Culture"
    }  # fmt: skip
    assert all(section.description for section in Section.objects.all())
    assert not Section.objects.exclude(articles__in=public).exists()  # every section has a story
    assert 4 <= Author.objects.count() <= 6
    assert all(author.bio and author.photo for author in Author.objects.all())
    assert public.filter(authors=None).exists()  # wire stories carry no byline
    # One draft and one scheduled story, for editors to preview.
    assert Article.objects.filter(status=Article.Status.DRAFT).count() == 1
    assert (
        Article.objects.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now()).count() == 1
    )


def test_seed_demo_stories_have_markdown_bodies_and_shared_tags(seeded):
    public = list(Article.objects.published().prefetch_related("tags"))
    assert all(story.body_html.count("<p>") >= 2 for story in public)
    html = "".join(story.body_html for story in public)
    for element in ("<h2>", "<blockquote>", "<ul>", '<a href="https://'):
        assert element in html
    assert all(story.tags.all() for story in public)
    uses = [tag.name for story in public for tag in story.tags.all()]
    assert len({name for name in uses if uses.count(name) >= 2}) >= 5  # tags shared across stories


def test_seed_demo_photos_are_real_images(seeded):
    for photo in Photo.objects.all():
        assert photo.alt_text
        assert photo.width > 0 and photo.height > 0
        with photo.image.open("rb") as file, Image.open(file) as image:
            image.verify()
            assert image.format == "JPEG"
            assert image.size == (photo.width, photo.height)
    for story in Article.objects.select_related("main_photo"):
        assert (story.main_photo.width, story.main_photo.height) == (1600, 1000)
        assert story.main_photo.caption and story.main_photo.credit
    # An archive ("File") photo illustrates more than one story.
    file_photos = [photo for photo in Photo.objects.all() if photo.credit.endswith(", File")]
    assert any(photo.articles.count() >= 2 for photo in file_photos)


def test_seed_demo_model_story_is_shaped_like_a_wire_story(client, seeded):
    story = Article.objects.get(section__name="Middle East", dateline_place="AMMAN")
    assert story.is_published
    assert story.lead
    assert story.body_html.count("<p>") >= 5
    assert story.tags.count() >= 5
    assert story.updated_at - story.published_at == timedelta(minutes=90)
    assert story.was_updated
    caption = story.main_photo.caption
    assert len(re.findall(r"[.!?](?:\s|$)", caption)) in (2, 3)
    assert re.fullmatch(r"© [\w ]+ Photo / [\w ]+ via [\w ]+, File", story.main_photo.credit)

    response = client.get(story.get_absolute_url())

    assert response.status_code == 200
    content = response.content.decode()
    assert "AMMAN" in content
    assert "Updated" in content
    assert content.index("AMMAN") < content.index('class="story__headline"') < content.index("<figure")


def test_seed_demo_twice_adds_nothing(settings, seeded):
    before = counts()
    files_before = sorted(path.name for path in settings.MEDIA_ROOT.rglob("*.jpg"))
    assert files_before and before["Article"] > 0

    output = seed()

    assert counts() == before
    assert sorted(path.name for path in settings.MEDIA_ROOT.rglob("*.jpg")) == files_before
    assert "created 0 sections, 0 authors, 0 photos, 0 stories" in output
