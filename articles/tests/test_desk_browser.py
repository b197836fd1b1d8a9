"""Presence and autosave in the story admin, in a real Chromium (see test_browser.py).

Two editors in two browser contexts see each other on a story and see each other go; a draft
typed into the form survives a session deleted on the server, the login page and a closed tab.
Screenshots of the presence notice and the restore banner land in test-artifacts/screenshots/.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.contrib.sessions.backends.cached_db import SessionStore
from django.test import Client
from PIL import Image

from articles.models import Article
from core.tests.database import live_server_database_down, one_request_per_connection

from .factories import make_article, make_section

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(django_settings.BASE_DIR) / "test-artifacts" / "screenshots"
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => console.error(
  `CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline code"}`));
"""
PERIOD = 1  # seconds between heartbeats in these tests


@pytest.fixture
def desk(live_server, settings, transactional_db, clean_cache):
    settings.PRESENCE_HEARTBEAT_SECONDS = PERIOD
    return live_server.url


@pytest.fixture
def story():
    return make_article("Talks resume in Geneva", state="draft", body="The first paragraph.")


def editor(username, **kwargs):
    # A superuser: the live server's database is flushed between tests, and with it the Editors
    # group a data migration made (test_presence.py checks the groups' rights).
    return User.objects.create_superuser(username, f"{username}@example.com", "correct-horse", **kwargs)


def signed_in_context(browser, base_url, user, complaints):
    """A browser context with `user`'s session cookie, as after signing in."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}])
    context.add_init_script(REPORT_VIOLATIONS)

    def on_console(message):
        if message.type == "error" and "favicon.ico" not in str(message.location.get("url")):
            complaints.append(message.text)

    context.on("console", on_console)
    return context


def session_key(context):
    return next(cookie["value"] for cookie in context.cookies() if cookie["name"] == "sessionid")


def sign_in(page, username):
    # The admin sends staff to the one sign-in page, allauth's (accounts/signin.py).
    page.fill("#id_login", username)
    page.fill("#id_password", "correct-horse")
    with page.expect_navigation():
        page.press("#id_password", "Enter")


def screenshot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    path.unlink(missing_ok=True)
    page.screenshot(path=path)
    with Image.open(path) as image:
        assert image.format == "PNG"
        assert image.size == (1280, 900)


def change_url(base_url, story):
    return f"{base_url}/admin/articles/article/{story.pk}/change/"


def test_two_editors_see_each_other_arrive_and_leave(browser, desk, story):
    anna = editor("anna", first_name="Anna", last_name="Petrova")
    boris = editor("boris", first_name="Boris", last_name="Orlov")
    complaints = []
    context_a = signed_in_context(browser, desk, anna, complaints)
    context_b = signed_in_context(browser, desk, boris, complaints)
    page_a, page_b = context_a.new_page(), context_b.new_page()
    notice_a, notice_b = page_a.locator(".newsroom-presence"), page_b.locator(".newsroom-presence")

    page_a.goto(change_url(desk, story))
    page_a.wait_for_load_state("networkidle")
    assert notice_a.is_hidden()  # alone
    page_b.goto(change_url(desk, story))

    notice_b.wait_for(state="visible", timeout=2000)
    assert re.fullmatch(r"Anna Petrova is editing this story \(since \d\d:\d\d\)", notice_b.inner_text())
    # Anna's page learns of Boris without reloading, at its next heartbeat.
    page_a.get_by_text("Boris Orlov is editing this story").wait_for(timeout=PERIOD * 1000 + 2000)
    screenshot(page_b, "admin-presence-notice")

    page_a.goto(f"{desk}/admin/articles/article/")  # Anna leaves: her page says so as it goes

    notice_b.wait_for(state="hidden", timeout=PERIOD * 1000 + 1500)

    page_a.goto(change_url(desk, story))  # and comes back
    notice_b.wait_for(state="visible", timeout=PERIOD * 1000 + 1500)
    context_a.close()  # a closed window sends no heartbeat any more (and may not say goodbye)
    notice_b.wait_for(state="hidden", timeout=PERIOD * 4000 + 1500)
    context_b.close()
    assert complaints == []


def test_an_expired_session_is_reported_and_signing_in_again_elsewhere_lets_the_form_save(
    browser, desk, story
):
    anna = editor("anna")
    complaints = []
    context = signed_in_context(browser, desk, anna, complaints)
    page = context.new_page()
    page.goto(change_url(desk, story))
    page.fill("#id_body", "The first paragraph, rewritten while signed out.")

    SessionStore(session_key=session_key(context)).delete()

    notice = page.locator(".newsroom-presence")
    notice.get_by_text("Your session has expired — sign in again in another tab").wait_for(
        timeout=PERIOD * 1000 + 2000
    )
    assert "newsroom-notice--error" in notice.get_attribute("class")

    other_tab = context.new_page()
    other_tab.goto(f"{desk}/admin/login/")
    sign_in(other_tab, "anna")  # Django gives the new session a new CSRF token
    notice.wait_for(state="hidden", timeout=PERIOD * 1000 + 2000)  # this page took it up

    with page.expect_navigation():
        page.click("input[name=_save]")

    assert "was changed successfully" in page.locator(".messagelist").inner_text()
    story.refresh_from_db()
    assert story.body == "The first paragraph, rewritten while signed out."
    context.close()
    # Failed heartbeats are answered 401/403: the browser logs those, nothing else may appear.
    assert [text for text in complaints if "status of 40" not in text] == []


def test_a_draft_survives_an_expired_session_and_the_login_page(browser, desk, story):
    anna = editor("anna")
    complaints = []
    context = signed_in_context(browser, desk, anna, complaints)
    page = context.new_page()
    page.goto(change_url(desk, story))
    page.fill("#id_headline", "Talks resume in Geneva after a year")
    page.fill("#id_body", "Typed while the session ran out.")
    page.uncheck("#id_allow_comments")

    SessionStore(session_key=session_key(context)).delete()
    with page.expect_navigation():
        page.click("input[name=_save]")
    assert "/accounts/login/" in page.url  # the admin's answer to a signed-out save
    sign_in(page, "anna")

    assert page.url == change_url(desk, story)  # next= brought the editor back to the form
    assert page.input_value("#id_body") == "The first paragraph."  # as stored: nothing was saved
    banner = page.locator(".newsroom-draft")
    banner.wait_for()
    assert re.match(r"You have unsaved changes from \d\d:\d\d\.", banner.inner_text())
    screenshot(page, "admin-draft-restore-banner")

    banner.get_by_role("button", name="Restore").click()

    assert banner.count() == 0
    assert page.input_value("#id_headline") == "Talks resume in Geneva after a year"
    assert page.input_value("#id_body") == "Typed while the session ran out."
    assert not page.is_checked("#id_allow_comments")
    with page.expect_navigation():
        page.click("input[name=_save]")
    assert "was changed successfully" in page.locator(".messagelist").inner_text()
    story.refresh_from_db()
    assert (story.headline, story.body, story.allow_comments) == (
        "Talks resume in Geneva after a year",
        "Typed while the session ran out.",
        False,
    )
    # Saved: the draft is gone, and the form opens without an offer.
    assert page.evaluate("Object.keys(localStorage).filter((key) => key.startsWith('newsroom:draft'))") == []
    page.goto(change_url(desk, story))
    page.wait_for_load_state("networkidle")
    assert page.locator(".newsroom-draft").count() == 0
    context.close()
    assert [text for text in complaints if "status of 40" not in text] == []


def test_a_draft_survives_a_closed_tab_and_a_form_with_errors(browser, desk, story):
    anna = editor("anna")
    complaints = []
    context = signed_in_context(browser, desk, anna, complaints)
    page = context.new_page()
    page.goto(change_url(desk, story))
    page.fill("#id_lead", "A lead typed, then the tab was closed.")
    page.wait_for_timeout(700)  # the draft is written a moment after typing stops
    page.close()

    page = context.new_page()
    page.goto(change_url(desk, story))
    page.locator(".newsroom-draft").get_by_role("button", name="Restore").click()
    assert page.input_value("#id_lead") == "A lead typed, then the tab was closed."

    page.fill("#id_headline", "")  # the save is refused: the form comes back with errors
    with page.expect_navigation():
        page.click("input[name=_save]")
    assert page.locator(".errornote").is_visible()
    assert page.locator(".newsroom-draft").count() == 0  # the form shows the text as sent
    page.close()

    page = context.new_page()  # the editor gave up and closed the tab: the text is still offered
    page.goto(change_url(desk, story))
    page.locator(".newsroom-draft").get_by_role("button", name="Discard").click()

    assert page.input_value("#id_lead") == Article.objects.get(pk=story.pk).lead
    assert page.evaluate("Object.keys(localStorage).filter((key) => key.startsWith('newsroom:draft'))") == []
    context.close()
    assert complaints == []


def test_a_new_story_keeps_its_draft_with_autocomplete_choices_until_it_is_added(browser, desk):
    anna = editor("anna")
    harbour = make_section("Harbour")
    complaints = []
    context = signed_in_context(browser, desk, anna, complaints)
    page = context.new_page()
    page.goto(f"{desk}/admin/articles/article/add/")
    page.fill("#id_headline", "Ferry timetable changes")
    page.locator("#id_section + .select2").click()
    page.locator(".select2-results__option", has_text="Harbour").click()  # autocomplete.js
    page.fill("#id_lead", "Ferries run every two hours from Monday.")
    page.fill("#id_body", "The winter timetable starts on Monday.")
    page.fill("#id_tags", "ferries, winter")
    page.wait_for_timeout(700)

    page.goto(f"{desk}/admin/articles/article/add/")  # opened again: offered
    page.locator(".newsroom-draft").get_by_role("button", name="Restore").click()

    assert page.input_value("#id_headline") == "Ferry timetable changes"
    assert page.input_value("#id_section") == str(harbour.pk)
    assert page.locator("#id_section + .select2").inner_text().strip() == "Harbour"
    assert page.input_value("#id_tags") == "ferries, winter"
    with page.expect_navigation():
        page.evaluate("document.querySelector('input[name=_save]').click()")
    assert "was added successfully" in page.locator(".messagelist").inner_text()
    story = Article.objects.get(headline="Ferry timetable changes")
    assert story.section == harbour
    assert sorted(story.tags.names()) == ["ferries", "winter"]
    # Added: the draft of the new story is gone.
    assert page.evaluate("localStorage.getItem('newsroom:draft:article:new')") is None
    context.close()
    assert complaints == []


def test_a_draft_from_an_older_version_is_merged_on_save_not_written_over(browser, desk, story):
    """The draft keeps the version its form was opened at (the hidden `base_version`): restored
    after someone else saved, its save is refused with their change merged in (versions.py)."""
    anna = editor("anna")
    complaints = []
    context = signed_in_context(browser, desk, anna, complaints)
    page = context.new_page()
    page.goto(change_url(desk, story))
    page.fill("#id_body", "Anna's new body, typed and never saved.")
    page.wait_for_timeout(700)

    page.reload()
    assert "saved by someone else" not in page.locator(".newsroom-draft").inner_text()

    story.refresh_from_db()
    story.lead = "Boris's lead, saved in between."
    story.save()  # someone saved in between: version 2
    page.reload()
    banner = page.locator(".newsroom-draft").inner_text()
    assert "The story has been saved by someone else since then" in banner

    page.get_by_role("button", name="Restore").click()
    assert page.input_value("#id_body") == "Anna's new body, typed and never saved."
    page.click("input[name=_continue]")
    page.locator(".newsroom-conflict").wait_for()
    assert page.input_value("#id_body") == "Anna's new body, typed and never saved."
    assert page.input_value("#id_lead") == "Boris's lead, saved in between."  # theirs, merged in
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    story.refresh_from_db()
    assert (story.lead, story.body) == (
        "Boris's lead, saved in between.",
        "Anna's new body, typed and never saved.",
    )
    context.close()
    assert complaints == []


def test_a_save_while_the_database_is_down_keeps_the_draft_and_offers_it_back(
    browser, desk, story, live_server
):
    anna = editor("anna")
    complaints = []
    with one_request_per_connection(live_server):
        context = signed_in_context(browser, desk, anna, complaints)
        page = context.new_page()
        page.goto(change_url(desk, story))
        page.fill("#id_body", "Typed while the database was out of reach.")

        with live_server_database_down():
            with page.expect_navigation():
                page.click("input[name=_save]")
            assert page.locator("h1").inner_text() == "This page is not available for a moment"

        page.goto(change_url(desk, story))
        assert page.input_value("#id_body") == "The first paragraph."  # nothing was saved
        banner = page.locator(".newsroom-draft")
        banner.get_by_role("button", name="Restore").click()
        assert page.input_value("#id_body") == "Typed while the database was out of reach."
        with page.expect_navigation():
            page.click("input[name=_save]")
        assert "was changed successfully" in page.locator(".messagelist").inner_text()
        context.close()
    story.refresh_from_db()
    assert story.body == "Typed while the database was out of reach."
    # The 503 itself, and heartbeats sent while the database was away.
    assert [text for text in complaints if "status of 503" not in text] == []
