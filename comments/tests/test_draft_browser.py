"""A comment typed while the database is down is not lost, in real Chromium (see test_browser.py).

The live server's database is made unreachable for real (core/tests/database.py) while the reader
sends the comment: the site answers its 503 page, and the text is back in the box when the reader
returns to the story. After a post the site took, the draft is gone. Screenshots of the 503 page
land in test-artifacts/screenshots/.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from comments.models import Comment
from core.tests.database import live_server_database_down, one_request_per_connection

from .helpers import make_article

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(django_settings.BASE_DIR) / "test-artifacts" / "screenshots"

DRAFTS = "Object.keys(localStorage).filter((key) => key.startsWith('newsroom:comment-draft:'))"
TEXT = "Typed while the database was away.\n\nA second paragraph, also kept."


@pytest.fixture
def story(live_server, settings, transactional_db):
    settings.COMMENTS_MIN_SECONDS = 0  # the reader types faster than a person could
    article = make_article("Ferry timetable changes for the winter")
    with one_request_per_connection(live_server):
        yield live_server.url + article.get_absolute_url(), article


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.problems = []
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and not message.text.startswith("Failed to load resource")  # the 503 itself
            and page.problems.append(message.text)
        ),
    )
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    yield page
    context.close()


def send(page):
    with page.expect_navigation():
        page.get_by_role("button", name="Comment", exact=True).click()


def test_a_comment_sent_while_the_database_is_down_is_kept_until_the_site_takes_it(page, story):
    url, article = story
    page.goto(url)
    page.fill("textarea[name=body]", TEXT)
    page.fill("input[name=name]", "Ines Duarte")
    page.fill("input[name=email]", "ines@example.com")

    with live_server_database_down():
        send(page)
        assert page.locator("h1").inner_text() == "This page is not available for a moment"
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / "database-down-503-phone.png")
        page.set_viewport_size({"width": 1280, "height": 900})
        page.screenshot(path=SCREENSHOTS / "database-down-503-desktop.png")
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(url)  # the story cannot be drawn either: still the 503 page, still nothing lost
        assert page.locator(".error-page").is_visible()
    assert not Comment.objects.exists()
    assert len(page.evaluate(DRAFTS)) == 1

    page.goto(url)  # the database is back
    assert page.input_value("textarea[name=body]") == TEXT
    assert page.input_value("input[name=name]") == "Ines Duarte"

    page.fill("input[name=email]", "ines@example.com")
    send(page)
    page.wait_for_url(re.compile(r"#comment-\d+$"))
    comment = Comment.objects.get()
    assert (comment.body, comment.name) == (TEXT, "Ines Duarte")
    assert page.evaluate(DRAFTS) == []  # taken: the draft is gone
    assert "nr_posted" not in page.evaluate("document.cookie")

    page.goto(url)
    assert page.input_value("textarea[name=body]") == ""
    assert page.problems == []


def test_a_refused_comment_keeps_its_draft_and_an_emptied_box_drops_it(page, story):
    url, article = story
    page.goto(url)
    page.fill("textarea[name=body]", "Without a name this is refused.")
    send(page)  # a 400: the form comes back with the text as sent
    assert page.locator(".comment-form__errors").is_visible()
    assert page.input_value("textarea[name=body]") == "Without a name this is refused."
    assert len(page.evaluate(DRAFTS)) == 1

    page.goto(url)
    assert page.input_value("textarea[name=body]") == "Without a name this is refused."
    page.fill("textarea[name=body]", "")  # the reader changed their mind
    assert page.evaluate(DRAFTS) == []
    page.goto(url)
    assert page.input_value("textarea[name=body]") == ""
    assert page.problems == []
