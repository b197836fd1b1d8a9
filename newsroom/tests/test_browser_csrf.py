"""Commenting from a cached story page in real Chromium, with and without JavaScript."""

import re

import pytest

from comments.models import Comment
from comments.tests.helpers import make_article

pytestmark = pytest.mark.browser


@pytest.fixture
def story_url(live_server, settings, transactional_db):
    settings.COMMENTS_MIN_SECONDS = 0
    article = make_article("A story read from a cache")
    return live_server.url + article.get_absolute_url()


def fill_comment(page, body):
    page.fill("textarea[name=body]", body)
    page.fill("input[name=name]", "Cached Reader")
    page.fill("input[name=email]", "cached@example.com")
    page.get_by_role("button", name="Comment", exact=True).click()


def test_reader_without_javascript_posts_in_one_press(browser, story_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        response = page.goto(story_url)
        assert response.headers["cache-control"].startswith("public, max-age=")
        assert page.locator("input[name=csrfmiddlewaretoken]").get_attribute("value") == ""

        fill_comment(page, "Posted without JavaScript.")

        page.wait_for_url(re.compile(r"#comment-\d+$"))
        assert Comment.objects.get().body == "Posted without JavaScript."
        assert page.get_by_text("Posted without JavaScript.").is_visible()
    finally:
        context.close()


def test_reader_with_javascript_posts_at_once(browser, story_url):
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(story_url)
        fill_comment(page, "Posted with the fetched token.")

        page.wait_for_url(re.compile(r"#comment-\d+$"))
        assert Comment.objects.get().body == "Posted with the fetched token."
    finally:
        context.close()
