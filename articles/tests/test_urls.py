from datetime import UTC, datetime, timedelta

import pytest
from django.urls import resolve, reverse
from pytest_django.asserts import assertRedirects

from articles.models import Article

from .factories import make_article, make_section, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _moscow_time(settings):
    settings.TIME_ZONE = "Europe/Moscow"


@pytest.fixture
def world():
    return make_section("World", slug="world")


@pytest.fixture
def story(world):
    return make_article(
        "Talks resume in Geneva", section=world, published_at=datetime(2017, 3, 25, 15, 39, tzinfo=UTC)
    )


def assert_moved_permanently(client, old_url, article):
    article.refresh_from_db()
    response = client.get(old_url)
    assertRedirects(response, article.get_absolute_url(), status_code=301, fetch_redirect_response=False)
    assert client.get(response["Location"]).status_code == 200


def test_story_urls_are_readable(story):
    assert story.get_absolute_url() == "/world/2017/03/25/talks-resume-in-geneva/"
    assert resolve("/world/2017/03/25/talks-resume-in-geneva/").url_name == "detail"
    assert reverse("articles:short", args=[story.short_code]) == f"/s/{story.short_code}"


def test_short_url_redirects_permanently_to_canonical(client, story):
    assert_moved_permanently(client, f"/s/{story.short_code}", story)


def test_unknown_short_code_is_404(client, story):
    assert client.get("/s/zzzzzzz").status_code == 404


@pytest.mark.parametrize("state", ["draft", "scheduled"])
def test_short_code_of_hidden_story_is_404(client, world, state):
    article = make_article(section=world, state=state)

    assert client.get(f"/s/{article.short_code}").status_code == 404


def test_old_url_redirects_after_headline_and_slug_change(client, story):
    old_url = story.get_absolute_url()
    story.headline, story.slug = "Talks collapse in Geneva", "talks-collapse-in-geneva"
    story.save()

    assert_moved_permanently(client, old_url, story)


def test_old_url_redirects_after_section_change(client, story):
    old_url = story.get_absolute_url()
    story.section = make_section("Europe", slug="europe")
    story.save()

    assert_moved_permanently(client, old_url, story)
    assert story.get_absolute_url().startswith("/europe/")


def test_old_url_redirects_after_publication_date_change(client, story):
    old_url = story.get_absolute_url()
    story.published_at -= timedelta(days=3)
    story.save()

    assert_moved_permanently(client, old_url, story)
    assert "/2017/03/22/" in story.get_absolute_url()


def test_every_previous_url_redirects_to_the_current_one(client, story):
    old_urls = [story.get_absolute_url()]
    story.headline, story.slug = "Second headline", "second-headline"
    story.save()
    old_urls.append(story.get_absolute_url())
    story.section = make_section("Europe")
    story.save()
    old_urls.append(story.get_absolute_url())
    story.published_at -= timedelta(days=400)
    story.headline, story.slug = "Third headline", "third-headline"
    story.save()

    assert len(set(old_urls)) == 3
    for old_url in old_urls:
        assert_moved_permanently(client, old_url, story)


def test_url_after_section_rename_keeps_working_after_a_slug_change(client, story, world):
    world.slug = "international"
    world.save()
    story.refresh_from_db()
    between_url = story.get_absolute_url()  # served, but never saved as an old URL
    assert client.get(between_url).status_code == 200

    story.headline, story.slug = "Talks collapse", "talks-collapse"
    story.save()

    assert_moved_permanently(client, between_url, story)
    assert_moved_permanently(client, "/world/2017/03/25/talks-resume-in-geneva/", story)


def test_old_url_of_a_story_taken_back_to_draft_is_404(client, story):
    old_url = story.get_absolute_url()
    story.slug = "renamed"
    story.status = Article.Status.DRAFT
    story.save()

    assert client.get(old_url).status_code == 404
    assert client.get(story.get_absolute_url()).status_code == 404


def test_staff_following_an_old_url_of_a_draft_reach_the_preview(client, story):
    old_url = story.get_absolute_url()
    story.slug = "renamed"
    story.status = Article.Status.DRAFT
    story.save()
    client.force_login(make_user("editor"))

    assert_moved_permanently(client, old_url, story)


def test_wrong_section_in_url_redirects_to_canonical(client, story):
    make_section("Sport", slug="sport")

    assert_moved_permanently(client, "/sport/2017/03/25/talks-resume-in-geneva/", story)
    assert_moved_permanently(client, "/no-such-section/2017/03/25/talks-resume-in-geneva/", story)


@pytest.mark.parametrize("date_part", ["2017/3/25", "2016/03/25", "2017/xx/yy"])
def test_wrong_or_unpadded_date_in_url_redirects_to_canonical(client, story, date_part):
    assert_moved_permanently(client, f"/world/{date_part}/talks-resume-in-geneva/", story)


def test_unknown_slug_is_404(client, story):
    assert client.get("/world/2017/03/25/no-such-story/").status_code == 404


def test_new_story_with_an_old_headline_does_not_steal_old_links(client, story, world):
    old_url = story.get_absolute_url()
    story.headline, story.slug = "Talks collapse", "talks-collapse"
    story.save()

    newer = make_article(
        "Talks resume in Geneva", section=world, published_at=datetime(2017, 3, 25, 18, tzinfo=UTC)
    )

    assert newer.get_absolute_url() != old_url
    assert_moved_permanently(client, old_url, story)
