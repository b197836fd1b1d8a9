"""In a real Chromium: the story's <picture> picks the crop of its slot (4:3 on a phone, 16:9 on a
desktop), and the admin's preview sets the focal point with a click. Screenshots of both, at phone
and desktop widths, land in test-artifacts/screenshots/."""

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.test import Client
from PIL import Image

from articles.models import Photo

from .factories import make_article, make_photo, make_section
from .test_focal_point import face_on_the_left

pytestmark = pytest.mark.browser

SIZES = {"phone": (390, 844), "desktop": (1280, 900)}
SCREENSHOTS = Path(django_settings.BASE_DIR) / "test-artifacts" / "screenshots"
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => console.error(
  `CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline code"}`));
"""


@pytest.fixture
def site(live_server, settings, transactional_db):
    settings.SERVE_MEDIA = True  # the live server shows the photos
    return live_server.url


def screenshot(page, name, width):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    path.unlink(missing_ok=True)
    page.screenshot(path=path, full_page=True)
    with Image.open(path) as image:
        assert image.format == "PNG" and image.width == width


def context_for(browser, size, complaints, session=None, base_url=None):
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1)
    context.add_init_script(REPORT_VIOLATIONS)

    def on_console(message):
        if message.type == "error" and "favicon.ico" not in str(message.location.get("url")):
            complaints.append(f"{message.text} {message.location.get('url')}")

    context.on("console", on_console)
    if session:
        context.add_cookies([{"name": "sessionid", "value": session, "url": base_url}])
    return context


@pytest.mark.parametrize(("size", "ratio"), [("phone", "4:3"), ("desktop", "16:9")])
def test_the_story_picture_picks_the_crop_of_its_slot(browser, site, size, ratio):
    photo = make_photo(image=face_on_the_left(), focal_x=0.125, alt_text="A red face on the left")
    story = make_article("Talks resume in Geneva", section=make_section("World"), main_photo=photo)
    crop = photo.sources(ratio)
    complaints = []
    context = context_for(browser, size, complaints)
    page = context.new_page()

    page.goto(site + story.get_absolute_url())
    page.wait_for_function("document.querySelector('.story__photo img').complete")

    current = page.eval_on_selector(".story__photo img", "img => img.currentSrc")
    made = {site + url: (width, height) for key in ("webp", "jpeg") for url, width, height in crop[key]}
    assert current in made, (current, ratio)
    width, height = made[current]
    assert width * {"4:3": 3, "16:9": 9}[ratio] == height * {"4:3": 4, "16:9": 16}[ratio]
    # The box the browser drew has the crop's shape too (no stretching, no centre cut by CSS).
    box = page.eval_on_selector(".story__photo img", "img => [img.clientWidth, img.clientHeight]")
    assert box[0] / box[1] == pytest.approx(width / height, rel=0.02)
    screenshot(page, f"story-focal-{size}", SIZES[size][0])
    assert complaints == []
    context.close()


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_a_click_on_the_preview_sets_the_focal_point(browser, site, size):
    photo = make_photo(image=face_on_the_left(), alt_text="A red face on the left")
    user = User.objects.create_superuser("editor", "editor@example.com", "correct-horse")
    client = Client()
    client.force_login(user)
    complaints = []
    context = context_for(browser, size, complaints, client.cookies["sessionid"].value, site)
    page = context.new_page()
    page.goto(f"{site}/admin/articles/photo/{photo.pk}/change/")

    image = page.locator("[data-focal-picker] img")
    box = image.bounding_box()
    image.click(position={"x": box["width"] * 0.125, "y": box["height"] * 0.5})

    assert float(page.input_value("#id_focal_x")) == pytest.approx(0.125, abs=0.01)
    assert float(page.input_value("#id_focal_y")) == pytest.approx(0.5, abs=0.01)
    marker = page.locator("[data-focal-marker]")
    assert marker.is_visible()
    centre = marker.bounding_box()
    assert centre["x"] + centre["width"] / 2 == pytest.approx(box["x"] + box["width"] * 0.125, abs=3)
    screenshot(page, f"admin-photo-focal-{size}", SIZES[size][0])

    with page.expect_navigation():
        page.click("input[name=_continue]")
    assert "The crops are being made again" not in page.content()  # the tests' tasks run at once
    photo = Photo.objects.get(pk=photo.pk)
    assert photo.focal_x == pytest.approx(0.125, abs=0.01) and photo.renditions_ready()
    assert complaints == []
    context.close()
