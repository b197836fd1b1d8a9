"""Two editors on one story in a real Chromium: the later save is refused with the other's change
shown and the typed text kept, then merged; History shows both versions and Restore brings the
first back. Screenshots land in test-artifacts/screenshots/."""

import pytest
from django.conf import settings as django_settings
from django.test import Client

from articles.models import Article

from .factories import make_article, make_author, make_section, make_user
from .test_browser import SCREENSHOTS

pytestmark = pytest.mark.browser


def signed_in_page(browser, live_server, name):
    client = Client()
    client.force_login(
        make_user("reader", username=name, first_name=name.capitalize(), is_staff=True, is_superuser=True)
    )
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    return context, context.new_page()


@pytest.fixture
def two_editors(browser, live_server, transactional_db):
    alice = signed_in_page(browser, live_server, "alice")
    bob = signed_in_page(browser, live_server, "bob")
    yield alice[1], bob[1]
    alice[0].close()
    bob[0].close()


def test_two_editors_conflict_merge_history_and_restore(two_editors, live_server):
    alice, bob = two_editors
    story = make_article(
        "Reservoir levels fall",
        section=make_section("World", slug="world"),
        lead="Water levels fell for a third week.",
        body="Farmers asked the region for help.\n\nThe river is at its lowest since 1976.",
        tags=["water"],
        authors=[make_author("Ann Field")],
    )
    url = f"{live_server.url}/admin/articles/article/{story.pk}/change/"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    # Both open the story; Alice saves a new lead first.
    alice.goto(url)
    bob.goto(url)
    alice.fill("#id_lead", "Water levels fell for a fourth week, the longest fall on record.")
    alice.click("input[name=_continue]")
    alice.wait_for_selector(".messagelist .success")

    # Bob, from the form he opened earlier, rewrites the body and saves: refused.
    bobs_body = (
        "Farmers asked the region for help on Monday.\n\nThe river is at its lowest since records began."
    )
    bob.fill("#id_body", bobs_body)
    bob.click("input[name=_continue]")
    panel = bob.locator(".newsroom-conflict")
    panel.wait_for()
    text = panel.inner_text()
    assert "Alice saved this story at" in text
    assert "Lead" in text  # her change, taken into his form
    assert bob.locator(".newsroom-conflict del").first.inner_text()  # the words she removed
    assert bob.input_value("#id_body") == bobs_body  # his text, as typed
    assert bob.input_value("#id_lead").startswith("Water levels fell for a fourth week")  # hers, merged
    assert Article.objects.get(pk=story.pk).body.startswith("Farmers asked the region for help.\r\n")
    bob.screenshot(path=str(SCREENSHOTS / "admin-conflict.png"), full_page=True)

    # Saving again saves the merge: her lead and his body.
    bob.click("input[name=_continue]")
    bob.wait_for_selector(".messagelist .success")
    story.refresh_from_db()
    assert story.lead.startswith("Water levels fell for a fourth week")
    assert story.body.replace("\r\n", "\n") == bobs_body  # browsers post newlines as CRLF
    assert story.version == 3

    # History lists the versions; Compare shows Bob's words; Restore brings version 1 back.
    bob.click("a.historylink")
    rows = bob.locator("#change-history tbody tr")
    assert rows.count() == 3
    assert "Bob" in rows.nth(0).inner_text() and "Alice" in rows.nth(1).inner_text()
    bob.screenshot(path=str(SCREENSHOTS / "admin-history.png"), full_page=True)
    rows.nth(0).get_by_role("link", name="Compare with the version before").click()
    assert "records began" in " ".join(bob.locator(".newsroom-compare ins").all_inner_texts())
    bob.screenshot(path=str(SCREENSHOTS / "admin-compare.png"), full_page=True)
    bob.go_back()
    bob.get_by_role("button", name="Restore version 1").click()
    bob.wait_for_selector(".messagelist .success")
    assert "Version 1 is restored as version 4" in bob.locator(".messagelist").inner_text()
    story.refresh_from_db()
    assert (story.version, story.lead) == (4, "Water levels fell for a third week.")
    assert story.history.count() == 4
