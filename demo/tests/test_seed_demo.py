import io
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
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


def test_seed_demo_fills_a_front_page():
    output = seed()

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


def test_seed_demo_stories_have_markdown_bodies_and_shared_tags():
    seed()

    public = list(Article.objects.published().prefetch_related("tags"))
    assert all(story.body_html.count("<p>") >= 2 for story in public)
    html = "".join(story.body_html for story in public)
    for element in ("<h2>", "<blockquote>", "<ul>", '<a href="https://'):
        assert element in html
    assert all(story.tags.all() for story in public)
    uses = [tag.name for story in public for tag in story.tags.all()]
    assert len({name for name in uses if uses.count(name) >= 2}) >= 5  # tags shared across stories


def test_seed_demo_photos_are_real_images():
    seed()

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


def test_seed_demo_model_story_is_shaped_like_a_wire_story(client):
    seed()

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


def test_seed_demo_twice_adds_nothing(settings):
    seed("--if-empty")  # an empty site gets the demo
    before = counts()
    files_before = sorted(path.name for path in settings.MEDIA_ROOT.rglob("*.jpg"))

    output = seed()

    assert counts() == before
    assert sorted(path.name for path in settings.MEDIA_ROOT.rglob("*.jpg")) == files_before
    assert "created 0 sections, 0 authors, 0 photos, 0 stories" in output


def test_seed_demo_if_empty_leaves_an_existing_site_alone():
    section = Section.objects.create(name="Local", slug="local")
    Article.objects.create(headline="Our own story", section=section, lead="Lead.", body="Body.")

    output = seed("--if-empty")

    assert counts() == {"Section": 1, "Author": 0, "Photo": 0, "Article": 1}
    assert "not added" in output
