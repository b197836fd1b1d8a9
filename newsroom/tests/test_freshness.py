"""What readers see changes the moment the site does: the application keeps no copy of a page."""

import pytest
from django.core.cache import cache
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains

from articles.tests.factories import make_article
from comments.models import Comment
from comments.services import moderate
from comments.tests.helpers import guest_data, make_comments, make_reader, post_url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    settings.COMMENTS_MIN_SECONDS = 3
    cache.clear()


def test_a_new_comment_shows_at_once(client):
    article = make_article()
    make_comments(article, 2)
    url = article.get_absolute_url()
    client.get(url)

    client.post(post_url(article), guest_data(article, body="Fresh from the press."))

    assertContains(client.get(url), "Fresh from the press.")
    assertContains(Client().get(url), "Fresh from the press.")  # another reader


def test_a_hidden_comment_leaves_the_page(client):
    article = make_article()
    (comment,) = make_comments(article, 1, body="Soon to be removed.")
    url = article.get_absolute_url()
    assertContains(client.get(url), "Soon to be removed.")

    moderate(Comment.objects.filter(pk=comment.pk), Comment.Status.REMOVED)

    assertNotContains(client.get(url), "Soon to be removed.")


def test_an_edited_comment_changes_on_the_page(client):
    article = make_article()
    (comment,) = make_comments(article, 1, body="Before the edit.")
    url = article.get_absolute_url()
    client.get(url)

    comment.body = "After the edit."
    comment.save()

    assertContains(client.get(url), "After the edit.")


def test_a_renamed_reader_is_renamed_on_every_page(client):
    article = make_article()
    reader = make_reader("Old Name")
    make_comments(article, 1, user=reader)
    url = article.get_absolute_url()
    assertContains(client.get(url), "Old Name")

    reader.profile.display_name = "New Name"
    reader.profile.save()

    assertContains(client.get(url), "New Name")


def test_an_edited_story_changes_on_its_page(client):
    article = make_article("The first headline")
    url = article.get_absolute_url()
    assertContains(client.get(url), "The first headline")

    article.headline = "The corrected headline"
    article.save()

    response = client.get(url)
    assertContains(response, "The corrected headline")
    assertNotContains(response, "The first headline")


def test_a_new_story_reaches_the_front_page_and_related_stories(client):
    first = make_article("First of the series", tags=["series"])
    client.get("/")
    client.get(first.get_absolute_url())

    make_article("Second of the series", section=first.section, tags=["series"])

    assertContains(client.get("/"), "Second of the series")
    assertContains(client.get(first.get_absolute_url()), "Second of the series")


def test_a_correction_reaches_the_story_page(client):
    article = make_article()
    url = article.get_absolute_url()
    client.get(url)

    article.corrections.create(text="An earlier version gave the wrong date.")

    assertContains(client.get(url), "An earlier version gave the wrong date.")


def test_a_signed_in_reader_gets_a_private_page(client):
    article = make_article()
    url = article.get_absolute_url()
    client.get(url)
    client.force_login(make_reader("Signed In Reader"))

    response = client.get(url)

    assertContains(response, "Signed In Reader")
    assert response["Cache-Control"] == "private, no-store"
