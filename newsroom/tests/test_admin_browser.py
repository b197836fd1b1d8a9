"""The admin under the Content Security Policy, in a real Chromium: nothing it needs is refused.

Signs in, files a story with a prepopulated slug, adds a section through the related-object
popup, picks a photo through the autocomplete, saves, and checks the thumbnails' stylesheet;
every policy violation the browser reports fails the test.
"""

import pytest
from django.contrib.auth.models import User

from articles.models import Article, Section
from articles.tests.factories import make_photo, make_section

REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => console.error(
  `CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline code"}`
  + ` at ${event.sourceFile}:${event.lineNumber}`));
"""

pytestmark = pytest.mark.browser


def watch(page, complaints):
    page.add_init_script(REPORT_VIOLATIONS)

    def on_console(message):
        if "favicon.ico" in str(message.location.get("url")):
            return
        if message.type == "error" or "Content Security Policy" in message.text:
            complaints.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: complaints.append(f"{page.url}: {error}"))


def test_editor_files_a_story_in_the_admin_without_a_policy_violation(browser, live_server, clean_cache):
    User.objects.create_superuser("chief", "chief@example.com", "correct-horse")
    make_section("World")
    photo = make_photo(caption="Ferry leaving the harbour at dawn")
    complaints = []
    page = browser.new_page()
    watch(page, complaints)

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_login", "chief")  # the admin sends to the one sign-in page (accounts/signin.py)
    page.fill("#id_password", "correct-horse")
    with page.expect_navigation():
        page.press("#id_password", "Enter")
    assert page.url == f"{live_server.url}/admin/"

    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.fill("#id_headline", "Ferry timetable changes for winter")
    page.press("#id_headline", "Tab")
    assert page.input_value("#id_slug") == "ferry-timetable-changes-for-winter"  # prepopulate.js

    with page.expect_popup() as popup_info:
        page.click("#add_id_section")
    popup = popup_info.value
    watch(popup, complaints)
    popup.wait_for_load_state()
    popup.fill("#id_name", "Harbour")
    popup.press("#id_name", "Tab")
    assert popup.input_value("#id_slug") == "harbour"
    with popup.expect_event("close"):
        popup.click("input[name=_save]")
    harbour = Section.objects.get(name="Harbour")
    assert page.input_value("#id_section") == str(harbour.pk)  # RelatedObjectLookups.js

    page.locator("#id_main_photo + .select2").click()
    page.locator(".select2-results__option", has_text="Ferry leaving").click()  # autocomplete.js
    assert page.input_value("#id_main_photo") == str(photo.pk)
    preview = page.locator("img[data-photo-preview]")  # newsroom-photo-preview.js, before saving
    preview.wait_for(state="visible")
    page.wait_for_function("document.querySelector('img[data-photo-preview]').naturalWidth > 0")
    # The image loaded (naturalWidth above) through the admin URL that redirects to the file.
    assert preview.get_attribute("src") == f"/admin/articles/photo/{photo.pk}/image/"

    page.fill("#id_lead", "Ferries run every two hours from Monday.")
    page.fill("#id_body", "The winter timetable starts on Monday.")
    with page.expect_navigation():
        # The select2 dropdown would take a pointer click for itself: click in the page.
        page.evaluate("document.querySelector('input[name=_save]').click()")
    assert "was added successfully" in page.locator(".messagelist").inner_text()
    article = Article.objects.get(slug="ferry-timetable-changes-for-winter")
    assert article.section == harbour
    assert article.main_photo == photo

    page.goto(f"{live_server.url}/admin/articles/article/")
    thumbnail = page.locator("img.newsroom-thumb").first
    assert thumbnail.evaluate("img => [img.width, getComputedStyle(img).borderTopLeftRadius]") == [60, "3px"]

    assert complaints == []
