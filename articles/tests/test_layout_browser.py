"""The reader pages at phone and desktop widths, in English and Russian, in a real Chromium.

The masthead must keep its search button usable from 320 to 430 pixels (a long Russian "Sign up"
once squeezed it to 2 pixels), nothing may stick out sideways, and screenshots of the front page,
a story and an archive calendar land in test-artifacts/screenshots/layout/ for a human to look at.
"""

import io
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article

from .test_browser import broken_images, load_every_image

SCREENSHOTS = Path(django_settings.BASE_DIR) / "test-artifacts" / "screenshots" / "layout"
LANGUAGES = ["en", "ru"]
# A pointer's target, WCAG's minimum (2.5.8) is 24 px; we ask for a thumb's.
MIN_BUTTON_SIDE = 40

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_site(live_server, settings, transactional_db):
    settings.SERVE_MEDIA = True
    settings.SHORT_URL_BASE = ""
    call_command("seed_demo", stdout=io.StringIO())
    return live_server.url


def masthead_boxes(page):
    return page.evaluate(
        """() => Object.fromEntries(['.masthead .logo', '.masthead .search-form__button', '.account-links']
            .map((selector) => {
                const box = document.querySelector(selector).getBoundingClientRect();
                return [selector, {left: box.left, right: box.right, top: box.top, bottom: box.bottom,
                                   width: box.width, height: box.height}];
            }))"""
    )


def overlaps(a, b):
    return (
        a["left"] < b["right"]
        and b["left"] < a["right"]
        and a["top"] < b["bottom"]
        and b["top"] < a["bottom"]
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_masthead_keeps_its_search_button_on_phones(browser, demo_site, settings, language):
    settings.LANGUAGE_CODE = language
    story = Article.objects.published().latest()
    widths = {}
    for width in (320, 360, 390, 430):
        context = browser.new_context(viewport={"width": width, "height": 800})
        page = context.new_page()
        for url in ("/", story.get_absolute_url()):
            page.goto(demo_site + url)
            boxes = masthead_boxes(page)
            button = boxes[".masthead .search-form__button"]
            widths[width] = button["width"]
            assert button["width"] >= MIN_BUTTON_SIDE, (language, width, url, button)
            assert button["height"] >= MIN_BUTTON_SIDE, (language, width, url, button)
            assert button["right"] <= width
            # The logo, the button and the account links each keep their own room.
            names = list(boxes)
            for i, first in enumerate(names):
                for second in names[i + 1 :]:
                    assert not overlaps(boxes[first], boxes[second]), (language, width, first, second)
            assert page.evaluate("document.documentElement.scrollWidth") == width
        context.close()
    print(f"search button widths ({language}):", widths)


@pytest.mark.parametrize("language", LANGUAGES)
def test_screenshots_of_home_story_and_archive(browser, demo_site, settings, language):
    settings.LANGUAGE_CODE = language
    story = Article.objects.published().latest()
    day = timezone.localdate(story.published_at)
    pages = {
        "home": "/",
        "story": story.get_absolute_url(),
        "archive-month": f"/archive/{day.year}/{day.month}/",
        "archive-year": f"/archive/{day.year}/",
    }
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width in (320, 390, 1280):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        for name, url in pages.items():
            response = page.goto(demo_site + url)
            assert response.status == 200, url
            load_every_image(page)
            assert broken_images(page) == []
            assert page.evaluate("document.documentElement.scrollWidth") == width, (name, width)
            path = SCREENSHOTS / f"{name}-{width}-{language}.png"
            page.screenshot(path=path, full_page=True)
            assert path.stat().st_size > 10_000
        context.close()
