"""The API's docs page in a real Chromium: Swagger UI from the site's own static files, under the
site's CSP, lists the endpoints and runs a request ("Try it out")."""

from pathlib import Path

import pytest
from django.conf import settings as django_settings

from articles.tests.factories import make_article

SCREENSHOTS = Path(django_settings.BASE_DIR) / "test-artifacts" / "screenshots"

pytestmark = pytest.mark.browser


def test_docs_page_lists_the_endpoints_and_tries_one(browser, live_server, transactional_db):
    make_article("Council approves the new bridge")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))
    outside = []
    page.on("request", lambda request: request.url.startswith(live_server.url) or outside.append(request.url))

    page.goto(f"{live_server.url}/api/v1/docs")
    page.wait_for_selector(".opblock-summary-path")
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert [path.replace("\u200b", "") for path in paths] == [
        "/api/v1/stories/",
        "/api/v1/stories/{short_code}/",
        "/api/v1/sections/",
        "/api/v1/tags/",
    ]

    page.locator(".opblock-summary").first.click()
    page.get_by_role("button", name="Execute").click()
    page.wait_for_selector(".live-responses-table tbody .response-col_status")
    assert "200" in page.locator(".live-responses-table tbody .response-col_status").first.inner_text()
    assert "Council approves the new bridge" in page.locator(".live-responses-table").inner_text()

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "api-docs-desktop.png", full_page=True)
    assert not problems, problems
    assert not outside, outside
    page.close()
