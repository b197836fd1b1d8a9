"""The desk's workflow in a real Chromium: the slug filled in from the headline, the review queue
and the story list's states. Screenshots land in test-artifacts/screenshots/."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone

from articles.models import Article

from .factories import make_article, make_section, make_user
from .test_browser import SCREENSHOTS
from .test_workflow import local_today_at

pytestmark = pytest.mark.browser


@pytest.fixture
def editor_page(browser, live_server, transactional_db):
    """A page signed in as an editor (the session cookie of a forced login).

    A superuser: the test database is emptied between browser tests, groups and all."""
    client = Client()
    client.force_login(make_user("reader", is_staff=True, is_superuser=True))
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    yield context.new_page()
    context.close()


def test_slug_from_the_headline_is_made_unique_and_a_typed_one_is_explained(editor_page, live_server):
    world = make_section("World", slug="world")
    make_article("Talks resume in Geneva", section=world)
    page = editor_page
    page.goto(f"{live_server.url}/admin/articles/article/add/")

    page.locator("#id_headline").press_sequentially("Talks resume in Geneva")  # keys, as typed
    assert page.input_value("#id_slug") == "talks-resume-in-geneva"  # the admin's script
    page.click(".field-section .select2-selection")  # the section autocomplete
    page.locator(".select2-container--open .select2-search__field").fill("Wor")
    page.locator(".select2-results__option", has_text="World").click()
    page.fill("#id_lead", "Delegations met again.")
    page.fill("#id_body", "First paragraph.")
    page.click("input[name=_continue]")

    page.wait_for_selector(".messagelist .success")
    story = Article.objects.latest("pk")
    assert story.slug == "talks-resume-in-geneva-2"

    # Typed by hand on the saved story: refused, naming the story that has it and a free slug.
    page.fill("#id_slug", "talks-resume-in-geneva")
    page.click("input[name=_continue]")

    error = page.locator(".field-slug .errorlist").inner_text()
    assert error == (
        "The story “Talks resume in Geneva” already has this slug. “talks-resume-in-geneva-2” is free."
    )  # its own slug: free for it
    assert page.input_value("#id_lead") == "Delegations met again."


def test_screenshots_of_the_review_queue_and_story_states(editor_page, live_server):
    world = make_section("World", slug="world")
    for n in range(3):
        make_article(f"Draft {n + 1} waiting for an editor", section=world, state="review")
    soon = (timezone.localtime() + timedelta(minutes=2)).replace(second=0, microsecond=0)
    make_article("Budget vote", section=world, published_at=soon)
    make_article("Embargoed report", section=world, published_at=local_today_at(9, days=2))
    make_article(
        "Old offer", section=world, published_at=local_today_at(9, days=-2), unpublish_at=local_today_at(0)
    )
    make_article("Story on the site", section=world)
    make_article("A reporter's draft", section=world, state="draft")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = editor_page

    page.goto(f"{live_server.url}/admin/")
    queue = page.locator("#review-queue")
    assert "Ready for review (3)" in queue.inner_text()
    page.screenshot(path=SCREENSHOTS / "admin-review-queue.png", full_page=True)

    queue.get_by_role("link", name="Ready for review (3)").click()
    page.wait_for_url("**/admin/articles/article/?state=review")
    assert page.locator("#result_list tbody tr").count() == 3

    page.goto(f"{live_server.url}/admin/articles/article/")
    states = page.locator("#result_list td.field-state").all_inner_texts()
    if soon.date() == timezone.localdate():  # not in the two minutes before midnight
        assert f"Scheduled for {soon:%H:%M}" in states
    assert "Expired at 00:00" in states
    assert any(state.startswith("Scheduled for ") and state.endswith(", 09:00") for state in states)
    page.screenshot(path=SCREENSHOTS / "admin-story-states.png", full_page=True)
