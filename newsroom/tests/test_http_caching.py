"""Cache-Control on reader pages, and commenting from a page that a shared cache handed out."""

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from articles.tests.factories import make_article, make_section, make_user
from comments.models import Comment
from comments.tests.helpers import guest_data, post_url

pytestmark = pytest.mark.django_db

TOKEN_FIELD = re.compile(r'<input type="hidden" name="csrfmiddlewaretoken" value="([^"]*)">')


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.PUBLIC_CACHE_SECONDS = 5
    settings.COMMENTS_MIN_SECONDS = 3
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def story():
    return make_article("A story to discuss", section=make_section("World", slug="world"), tags=["news"])


def csrf_client():
    return Client(enforce_csrf_checks=True)


@pytest.mark.parametrize("page", ["home", "section", "tag", "story", "short", "standards", "search"])
def test_anonymous_reader_pages_may_be_shared_for_a_few_seconds(client, story, page):
    url = {
        "home": "/",
        "section": "/world/",
        "tag": "/tag/news/",
        "story": story.get_absolute_url(),
        "short": story.get_short_path(),
        "standards": reverse("comments:standards"),
        "search": "/search/?q=story",
    }[page]

    response = client.get(url)

    assert response.status_code in (200, 301)
    assert response["Cache-Control"] == "public, max-age=5, s-maxage=5"
    assert not response.cookies  # a shared copy must not hand one reader's cookie to the next


def test_shared_story_page_carries_no_csrf_token(client, story):
    html = client.get(story.get_absolute_url()).content.decode()

    tokens = TOKEN_FIELD.findall(html)
    assert tokens and set(tokens) == {""}  # the comment form's field, filled in by csrf.js
    assert 'src="/static/js/csrf.js" data-csrf-url="/csrf/"' in html


def test_signed_in_reader_gets_a_private_page_with_a_token(client, story):
    client.force_login(make_user("reader"))

    response = client.get(story.get_absolute_url())

    assert response["Cache-Control"] == "private, no-store"
    assert all(TOKEN_FIELD.findall(response.content.decode()))


def test_a_flash_message_makes_the_page_private(client, story):
    client.cookies["messages"] = "anything"
    assert client.get(story.get_absolute_url())["Cache-Control"] == "private, no-store"


def test_the_admin_is_never_shared(client):
    assert "public" not in client.get("/admin/login/")["Cache-Control"]


def test_csrf_endpoint_gives_the_reader_a_token_and_cookie(client):
    response = client.get(reverse("csrf_token"))

    assert response.status_code == 200
    assert response.json()["token"]
    assert "csrftoken" in response.cookies
    assert "no-store" in response["Cache-Control"] and "public" not in response["Cache-Control"]


def test_reader_posts_from_a_cached_page_with_the_fetched_token(story):
    reader = csrf_client()
    page = reader.get(story.get_absolute_url())
    assert "csrftoken" not in page.cookies
    token = reader.get(reverse("csrf_token")).json()["token"]  # what csrf.js does

    response = reader.post(post_url(story), guest_data(story, csrfmiddlewaretoken=token))

    assert response.status_code == 302
    assert Comment.objects.filter(article=story).count() == 1


def test_reader_without_javascript_sends_once_more_and_the_comment_is_posted(story):
    reader = csrf_client()
    reader.get(story.get_absolute_url())
    data = guest_data(story, body="Sent from a browser without JavaScript.")

    first = reader.post(post_url(story), data)

    assert first.status_code == 403
    assert Comment.objects.count() == 0  # nothing was done with a post that failed the check
    html = first.content.decode()
    assert "Sent from a browser without JavaScript." in html
    assert "no-store" in first["Cache-Control"]
    (token,) = TOKEN_FIELD.findall(html)
    resent = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', html))
    resent["body"] = data["body"]
    assert resent["token"] == data["token"] and resent["name"] == data["name"]

    second = reader.post(post_url(story), resent)

    assert second.status_code == 302
    assert Comment.objects.get().body == "Sent from a browser without JavaScript."


def test_a_post_from_our_own_page_is_taken_at_the_first_press_without_a_token(story):
    """What a browser without JavaScript sends: no token, but its own word on where it posts from."""
    reader = csrf_client()
    response = reader.post(
        post_url(story), guest_data(story, body="One press."), HTTP_SEC_FETCH_SITE="same-origin"
    )
    assert response.status_code == 302
    assert Comment.objects.get().body == "One press."
    # An older browser without Sec-Fetch-Site: its Origin says the same.
    reader = csrf_client()
    response = reader.post(
        post_url(story),
        guest_data(story, body="Older browser.", name="Second"),
        HTTP_ORIGIN="http://testserver",
    )
    assert response.status_code == 302
    assert Comment.objects.filter(body="Older browser.").exists()


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_SEC_FETCH_SITE": "same-site"},  # a sibling subdomain is another origin
        {"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_ORIGIN": "http://testserver"},
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "null"},
    ],
)
def test_posts_from_elsewhere_still_need_the_token(story, headers):
    reader = csrf_client()
    response = reader.post(post_url(story), guest_data(story), **headers)
    assert response.status_code == 403
    assert Comment.objects.count() == 0


def test_a_forged_cross_site_post_gets_no_second_chance(story, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    reader = csrf_client()

    response = reader.post(post_url(story), guest_data(story), HTTP_ORIGIN="https://evil.example")

    assert response.status_code == 403
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert Comment.objects.count() == 0


def test_after_a_post_the_reader_gets_a_fresh_page_not_a_cached_one(client, story):
    response = client.post(post_url(story), guest_data(story))
    assert response.status_code == 302
    assert response.cookies["nr_fresh"]["max-age"] == 10

    page = client.get(response["Location"])

    assert page["Cache-Control"] == "private, no-store"


def test_only_comment_forms_get_a_second_chance(client):
    reader = csrf_client()

    response = reader.post("/accounts/logout/", {"next": "/"})

    assert response.status_code == 403
    assert "csrfmiddlewaretoken" not in response.content.decode()
