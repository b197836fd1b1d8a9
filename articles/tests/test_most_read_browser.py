"""The story page's beacon in a real Chromium: one view counted, the list on the next page."""

import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from articles import mostread
from articles.models import Article

from .factories import make_article, make_section

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(django_settings.BASE_DIR) / "test-artifacts" / "screenshots"

# Chromium's own headless user agent says "HeadlessChrome", which is not counted (a bot).
READER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
)


def views(story):
    found = Article.objects.published().most_read(mostread.ranking(), limit=100)
    return {article.pk: article.views for article in found}.get(story.pk, 0)


def test_a_story_view_in_chromium_counts_once(browser, live_server, settings, transactional_db):
    settings.REDIS_URL = ""  # counted in the test database, which the live server shares
    world = make_section("World", slug="world")
    story = make_article("Reservoir levels fall", section=world)
    context = browser.new_context(user_agent=READER_AGENT)
    page = context.new_page()
    errors = []
    # Script errors and CSP refusals; a missing resource (the favicon) is not this test's to judge.
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and not message.text.startswith("Failed to load resource")
            and errors.append(message.text)
        ),
    )

    with page.expect_request(lambda request: request.url.endswith("/beacon/view/")) as sent:
        page.goto(live_server.url + story.get_absolute_url())
    assert sent.value.method == "POST"
    assert sent.value.post_data == f"id={story.pk}"
    deadline = time.monotonic() + 10
    while views(story) < 1 and time.monotonic() < deadline:
        time.sleep(0.1)

    assert views(story) == 1
    assert context.cookies() == []  # neither the page nor the beacon set one
    assert errors == []  # no Content Security Policy refusal
    page.goto(live_server.url + "/")
    assert page.locator("#most-read-heading").is_visible()
    assert "Reservoir levels fall" in page.locator(".most-read__list li").all_inner_texts()[0]
    for name, width in (("phone", 390), ("desktop", 1280)):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=SCREENSHOTS / f"most-read-home-{name}.png", full_page=True)
    context.close()
