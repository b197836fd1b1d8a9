"""The desk in a real Chromium: the front page with a pinned story, the story form and the list.

Screenshots land in test-artifacts/screenshots/ for a human to look at; each page is also
measured: the pinned story leads without a photo, the counters follow typing, the photo picker
shows thumbnails, and headlines in the story list stay within a few lines.
"""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from articles.models import FrontPageSlot

from .factories import make_article, make_photo, make_section

SCREENSHOTS = Path(django_settings.BASE_DIR) / "test-artifacts" / "screenshots"
WIDTHS = {"phone": 390, "tablet": 820, "desktop": 1280}

pytestmark = pytest.mark.browser

LONG_HEADLINES = [
    "Parliament passes the budget after an all-night session and three failed votes on defence",
    "Ferry operators warn of winter cancellations as fuel prices rise for the third month running",
    "City council approves a new tram line linking the airport with the old town by 2029",
    "Wildfire near the coast forces thousands to leave their homes as winds pick up overnight",
]


@pytest.fixture
def desk(live_server, settings, transactional_db, clean_cache):
    settings.SERVE_MEDIA = True
    world = make_section("World", slug="world")
    # Two photos with the same caption: the picker must tell them apart.
    crowd_photos = [
        make_photo(caption="Crowds gather outside parliament", credit=credit) for credit in ("Reuters", "AP")
    ]
    now = timezone.now()
    stories = [
        make_article(
            LONG_HEADLINES[n % len(LONG_HEADLINES)] + f" ({n})",
            section=world,
            main_photo=crowd_photos[n % 2],
            published_at=now - timedelta(minutes=10 + n),
        )
        for n in range(12)
    ]
    pinned = make_article(
        "Editors pin this text-only analysis of the coalition talks to the top of the front page",
        section=world,
        published_at=now - timedelta(days=2),
        lead="No photo, still the lead: the layout holds without one.",
    )
    FrontPageSlot.objects.create(position=1, article=pinned)
    return {"url": live_server.url, "stories": stories, "pinned": pinned, "photos": crowd_photos}


def sign_in(browser, desk, width):
    # A superuser: the transactional database loses the groups the migrations made.
    # Signed in by a session cookie: the sign-in page has its own tests (accounts/tests).
    client = Client()
    client.force_login(User.objects.create_superuser(f"desk{width}", password="correct-horse"))
    context = browser.new_context(viewport={"width": width, "height": 900})
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie, "url": desk["url"]}])
    page = context.new_page()
    return context, page


def screenshot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    path.unlink(missing_ok=True)
    page.screenshot(path=path, full_page=True)
    assert path.stat().st_size > 10_000


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_pinned_story_without_photo_leads_the_front_page(browser, desk, size):
    width = WIDTHS[size]
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()

    page.goto(desk["url"] + "/")

    top = page.locator(".front__top .teaser")
    assert top.locator(".teaser__headline").inner_text() == desk["pinned"].headline
    assert top.locator("img").count() == 0
    assert "teaser--text" in top.get_attribute("class")
    # Shown once: not again among the cards or the latest stories.
    assert page.get_by_role("link", name=desk["pinned"].headline).count() == 1
    assert page.locator(".front__more .teaser").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") == width
    # The lead keeps a sensible measure instead of stretching or collapsing.
    box = top.bounding_box()
    assert box["height"] > 100 and box["width"] > width * 0.5
    screenshot(page, f"front-pinned-no-photo-{size}")
    context.close()


@pytest.mark.parametrize("size", ["tablet", "desktop"])
def test_story_form_counts_characters_and_picks_photos_by_thumbnail(browser, desk, size):
    context, page = sign_in(browser, desk, WIDTHS[size])
    story = desk["stories"][0]

    page.goto(f"{desk['url']}/admin/articles/article/{story.pk}/change/")

    counter = page.locator("#id_headline_count")
    assert counter.inner_text().startswith(f"{len(story.headline)} / 70 — search results show")
    page.fill("#id_headline", "Short headline")
    assert counter.inner_text().startswith("14 / 70")
    assert "newsroom-count--over" not in counter.get_attribute("class")
    page.fill("#id_headline", "x" * 75)
    assert counter.inner_text().startswith("75 / 70")
    assert "newsroom-count--over" in counter.get_attribute("class")
    assert page.locator("#id_lead_count").inner_text().startswith(f"{len(story.lead)} / 160")
    # The headline field is wide, not Django's 270 pixels.
    assert page.locator("#id_headline").bounding_box()["width"] > 450

    page.locator("#id_main_photo + .select2").click()
    page.locator(".select2-dropdown .select2-search__field").fill("Crowds gather")
    options = page.locator(".select2-results__option .newsroom-pick")
    options.first.wait_for()
    assert options.count() == 2
    thumbs = page.locator(".newsroom-pick__thumb")
    # Waited for in the page: wait_for_function's polling would need eval, which the CSP refuses.
    thumbs.evaluate_all(
        "imgs => Promise.all(imgs.map((img) => img.complete ? null :"
        " new Promise((resolve) => { img.onload = img.onerror = resolve; })))"
    )
    assert thumbs.evaluate_all("imgs => imgs.map((img) => img.naturalWidth > 0)") == [True, True]
    details = [options.nth(n).locator(".newsroom-pick__details").inner_text() for n in range(2)]
    assert {detail.split(" · ")[0] for detail in details} == {"Reuters", "AP"}
    screenshot(page, f"admin-story-form-{size}")

    options.filter(has_text="AP").click()
    assert page.input_value("#id_main_photo") == str(desk["photos"][1].pk)
    context.close()


@pytest.mark.parametrize("size", ["tablet", "desktop"])
def test_story_list_keeps_headlines_to_a_few_lines(browser, desk, size):
    context, page = sign_in(browser, desk, WIDTHS[size])

    page.goto(f"{desk['url']}/admin/articles/article/")

    lines = page.evaluate(
        """() => [...document.querySelectorAll("#result_list .field-headline")].map((cell) => {
            const link = cell.querySelector("a");
            return link.getClientRects().length;
        })"""
    )
    screenshot(page, f"admin-story-list-{size}")
    assert len(lines) == 13
    assert max(lines) <= 4, lines
    # Every column shows: the results do not scroll sideways.
    assert page.evaluate("(el => el.scrollWidth <= el.clientWidth)(document.querySelector('.results'))")
    context.close()
