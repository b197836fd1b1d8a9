"""A reader's path through a real Chromium: front page → story → tag → story → short URL.

Drives Debian's Chromium (`make browser-deps` installs it) through Playwright, never a
downloaded browser. Screenshots of the front page and a story at phone and desktop widths
land in test-artifacts/screenshots/ for a human to look at.
"""

import io
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from PIL import Image

from articles.models import Article

SIZES = {"phone": (390, 844), "desktop": (1280, 900)}

SCREENSHOTS = Path(django_settings.BASE_DIR) / "test-artifacts" / "screenshots"

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_site(live_server, settings, transactional_db):
    settings.SERVE_MEDIA = True  # the live server shows the demo's photos
    settings.SHORT_URL_BASE = ""  # short links on the live server's own host
    call_command("seed_demo", stdout=io.StringIO())
    return live_server.url


def load_every_image(page):
    """Scroll through the page so lazy images load, then wait until each has arrived."""
    page.evaluate(
        """async () => {
            for (let y = 0; y < document.body.scrollHeight; y += 400) {
                window.scrollTo(0, y);
                await new Promise((resolve) => setTimeout(resolve, 30));
            }
            window.scrollTo(0, 0);
            await Promise.all([...document.images].map((img) => img.complete ? null :
                new Promise((resolve) => { img.onload = img.onerror = resolve; })));
        }"""
    )


def broken_images(page):
    return page.evaluate("[...document.images].filter((img) => !img.naturalWidth).map((img) => img.src)")


def assert_screenshot(path, width):
    assert path.stat().st_size > 20_000, f"{path.name} is suspiciously small"
    with Image.open(path) as image:
        assert image.format == "PNG"
        assert image.width == width
        assert image.height > 844  # full page, taller than the window


def test_reader_goes_from_front_page_to_story_tag_and_short_url(browser, demo_site):
    story = Article.objects.published().latest()
    assert story.dateline_place == "AMMAN"  # the demo's model wire story leads the front page
    story_url = demo_site + story.get_absolute_url()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=demo_site)
    page = context.new_page()

    page.goto(demo_site + "/")
    page.locator(".front__top .teaser__headline a").click()

    page.wait_for_url(story_url)
    assert page.locator("h1").inner_text() == story.headline
    assert page.locator(".dateline").inner_text().startswith("AMMAN")
    assert "Updated" in page.locator(".dateline").inner_text()
    load_every_image(page)
    assert broken_images(page) == []

    page.locator(".tags").get_by_role("link", name="Water", exact=True).click()

    page.wait_for_url(demo_site + "/tag/water/")
    assert page.locator("h1").inner_text() == "Water"
    assert page.locator(".story-list").get_by_role("link", name=story.headline).count() == 1

    page.go_back()
    page.wait_for_url(story_url)
    page.locator(".share summary").filter(has_text="Get short URL").click()

    short_input = page.locator(".short-url__input")
    short_input.wait_for(state="visible")
    short_url = short_input.input_value()
    assert short_url.endswith(f"/s/{story.short_code}")
    assert short_url.startswith("http")
    page.locator(".short-url__status").filter(has_text="Copied").wait_for()

    page.goto(short_url)

    assert page.url == story_url
    context.close()


def test_story_page_works_without_javascript(browser, demo_site):
    story = Article.objects.published().latest()
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()

    page.goto(demo_site + story.get_absolute_url())
    assert page.locator(".story__body").is_visible()
    assert not page.locator(".short-url__input").is_visible()
    page.locator(".share summary").filter(has_text="Get short URL").click()

    # Without JavaScript the summary still opens the box, the link in it ready to select and copy.
    short_input = page.locator(".short-url__input")
    short_input.wait_for(state="visible")
    assert short_input.input_value() == f"{demo_site}/s/{story.short_code}"
    assert page.url == demo_site + story.get_absolute_url()
    context.close()


def test_screenshots_of_front_page_and_story(browser, demo_site):
    story = Article.objects.published().latest()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pages = {"home": "/", "article": story.get_absolute_url()}

    for size, (width, height) in SIZES.items():
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        for name, url in pages.items():
            path = SCREENSHOTS / f"{name}-{size}.png"
            path.unlink(missing_ok=True)
            page.goto(demo_site + url)
            load_every_image(page)
            assert broken_images(page) == []
            # Nothing may stick out sideways: a phone would scroll the whole page.
            assert page.evaluate("document.documentElement.scrollWidth") == width

            page.screenshot(path=path, full_page=True)

            assert_screenshot(path, width)
        context.close()
