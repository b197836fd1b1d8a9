from datetime import timedelta

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article

from .factories import make_article, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_section("World", slug="world")


def test_related_stories_share_the_most_tags_first(world):
    now = timezone.now()
    story = make_article("Talks", section=world, tags=["geneva", "iran", "nuclear"])
    one = make_article("One shared", section=world, tags=["geneva"], published_at=now - timedelta(minutes=5))
    two = make_article(
        "Two shared", section=world, tags=["iran", "nuclear"], published_at=now - timedelta(hours=5)
    )
    make_article("Nothing shared", section=world, tags=["football"])
    make_article("Draft shared", section=world, tags=["geneva", "iran", "nuclear"], state="draft")
    make_article("Future shared", section=world, tags=["geneva", "iran", "nuclear"], state="scheduled")

    related = list(Article.objects.published().related_to(Article.objects.for_page().get(pk=story.pk)))

    assert related == [two, one]
    assert [article.shared_tags for article in related] == [2, 1]


def test_related_stories_take_one_query(world, django_assert_num_queries):
    story = make_article("Talks", section=world, tags=["geneva", "iran"])
    for n in range(6):
        make_article(f"Other {n}", section=world, tags=["geneva", "iran"][: n % 2 + 1])
    story = Article.objects.for_page().get(pk=story.pk)

    with django_assert_num_queries(1):
        related = list(Article.objects.published().related_to(story))
        for article in related:
            assert article.section.name and article.get_absolute_url()

    assert len(related) == 4


def test_story_without_tags_has_no_related_stories(world, django_assert_num_queries):
    story = Article.objects.for_page().get(pk=make_article("Lonely", section=world).pk)

    with django_assert_num_queries(0):
        assert list(Article.objects.published().related_to(story)) == []


def test_related_stories_show_at_the_end_of_the_story(client, world):
    story = make_article("Talks", section=world, tags=["geneva"], body="Story text.")
    make_article("Earlier talks in Geneva", section=world, tags=["geneva"])

    response = client.get(story.get_absolute_url())
    content = response.content.decode()

    assertContains(response, "Related stories")
    assert content.index("Story text.") < content.index("Earlier talks in Geneva")


def test_no_related_block_without_related_stories(client, world):
    story = make_article("Talks", section=world, tags=["geneva"])

    assertNotContains(client.get(story.get_absolute_url()), "Related stories")


def test_home_shows_the_most_commented_stories_of_the_week(client, world):
    now = timezone.now()
    quiet = make_article("Quiet story", section=world, published_at=now - timedelta(days=1))
    busy = make_article("Busy story", section=world, published_at=now - timedelta(days=2))
    old = make_article("Old busy story", section=world, published_at=now - timedelta(days=8))
    make_article("No comments", section=world)
    Article.objects.filter(pk=quiet.pk).update(comment_count=3)
    Article.objects.filter(pk=busy.pk).update(comment_count=40)
    Article.objects.filter(pk=old.pk).update(comment_count=500)

    response = client.get("/")

    assert list(response.context_data["most_commented"]) == [busy, quiet]
    assertContains(response, "Most commented this week")


def test_home_has_no_most_commented_block_before_any_comments(client, world):
    make_article("Story", section=world)

    assertNotContains(client.get("/"), "Most commented")
