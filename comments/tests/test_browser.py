"""Two readers in real Chromium: A has a story open, B comments, A is offered B's comment.

Drives Debian's Chromium through Playwright (never a downloaded browser). Screenshots of the
comment section at phone and desktop widths land in test-artifacts/screenshots/.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from comments.models import Comment, CommentReport

from .helpers import make_article, make_comments, make_reader

SIZES = {"phone": (390, 844), "desktop": (1280, 900)}

SCREENSHOTS = Path(django_settings.BASE_DIR) / "test-artifacts" / "screenshots"

pytestmark = pytest.mark.browser


def make_discussed_story():
    """The river-data story with two guests' comments: a short one, and a long one with a link."""
    article = make_article(
        "Five neighbours agree to share river data every hour",
        lead="Hydrologists say hourly readings will warn villages downstream days earlier.",
    )
    make_comments(
        article, 1, name="Olga Petrova", body="Clear and well sourced. Thank you for the reporting."
    )
    make_comments(
        article,
        1,
        name="Chidi Okafor",
        body=(
            "I worked in this field for eleven years, so a few words of context.\n\n"
            "The agreement itself is not new: most of the technical work was done long ago. What is new "
            "is that the data will be public, and that matters more than the headline suggests.\n\n"
            "The documents are here: https://example.org/documents/river-data-agreement-2026-annex-b"
        ),
    )
    return article


@pytest.fixture
def story(live_server, settings, transactional_db):
    settings.SERVE_MEDIA = True
    settings.COMMENTS_POLL_SECONDS = 1  # the page's poll, every second instead of every 30
    settings.COMMENTS_MIN_SECONDS = 0  # B types faster than a person could
    article = make_discussed_story()
    reader = make_reader("Marta Lindqvist")
    make_comments(article, 1, user=reader, body="Does anyone know when the full report will be published?")
    return live_server.url + article.get_absolute_url(), article


def new_page(browser, size):
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    problems = []
    # Script errors and CSP refusals; a missing favicon is not ours to judge here.
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and not message.text.startswith("Failed to load resource")
            and problems.append(message.text)
        ),
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    return context, page, problems


def test_reader_sees_show_new_comments_and_gets_the_new_one(browser, story):
    url, article = story
    context_a, page_a, problems = new_page(browser, "desktop")
    context_b, page_b, _ = new_page(browser, "phone")
    try:
        page_a.goto(url)
        page_a.locator("#comments").scroll_into_view_if_needed()
        assert page_a.locator(".comments__new").is_hidden()

        page_b.goto(url)
        page_b.fill("#id_body_field, textarea[name=body]", "Reader B here.\n\nA second paragraph from B.")
        page_b.fill("input[name=name]", "Reader B")
        page_b.fill("input[name=email]", "b@example.com")
        page_b.get_by_role("button", name="Comment", exact=True).click()
        page_b.wait_for_url(re.compile(r"#comment-\d+$"))
        comment = Comment.objects.get(name="Reader B")
        assert page_b.locator(f"#comment-{comment.pk}").is_visible()

        button = page_a.get_by_role("button", name="Show new comments (1)")
        button.wait_for(state="visible", timeout=10_000)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page_a.screenshot(path=SCREENSHOTS / "comments-new-button-desktop.png")
        button.click()
        inserted = page_a.locator(f"#comment-{comment.pk}")
        inserted.wait_for(state="visible")
        assert "A second paragraph from B." in inserted.inner_text()
        assert inserted.locator(".comment__body p").count() == 2
        assert page_a.locator(".comments__new").is_hidden()
        assert page_a.locator(".comments__number").inner_text() == "4"
        assert not problems, problems
    finally:
        context_a.close()
        context_b.close()


def test_no_polling_while_the_tab_is_hidden(browser, story):
    url, article = story
    context, page, problems = new_page(browser, "desktop")
    polls = []
    page.on("request", lambda request: "/new/" in request.url and polls.append(request.url))
    try:
        page.goto(url)
        page.wait_for_timeout(1500)
        assert polls, "the page should poll while visible"
        page.evaluate(
            """() => {
                Object.defineProperty(document, "visibilityState", {value: "hidden", configurable: true});
                document.dispatchEvent(new Event("visibilitychange"));
            }"""
        )
        page.wait_for_timeout(300)
        polls.clear()
        page.wait_for_timeout(2500)
        assert polls == []
        page.evaluate(
            """() => {
                Object.defineProperty(document, "visibilityState", {value: "visible", configurable: true});
                document.dispatchEvent(new Event("visibilitychange"));
            }"""
        )
        page.wait_for_timeout(500)
        assert polls, "coming back to the tab polls at once"
        assert not problems, problems
    finally:
        context.close()


def test_report_button_works_in_place(browser, story):
    url, article = story
    context, page, problems = new_page(browser, "desktop")
    try:
        page.goto(url)
        first = page.locator(".comment").first
        first.get_by_role("link", name=re.compile(r"^Report")).click()
        first.get_by_role("button", name="Off-topic").click()
        first.get_by_text("A moderator will look at this comment").wait_for()
        assert Comment.objects.filter(report_count=1).count() == 1
        assert CommentReport.objects.get().reason == "off_topic"
        assert page.url == url  # reported in place, no page of its own
        assert not problems, problems
    finally:
        context.close()


def test_comment_times_say_how_long_ago_with_the_exact_time_on_hover(browser, story):
    url, article = story
    context, page, problems = new_page(browser, "desktop")
    try:
        page.goto(url)
        when = page.locator(".comment__time").first
        assert re.fullmatch(r"\d+ (minute|hour|day)s? ago|yesterday", when.inner_text()), when.inner_text()
        assert re.fullmatch(r"\d\d:\d\d GMT[+\d:]*, \d\d\.\d\d\.\d{4}", when.get_attribute("title"))
        assert not problems, problems
    finally:
        context.close()


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_screenshots_of_the_comment_section(browser, story, size):
    url, article = story
    context, page, problems = new_page(browser, size)
    try:
        page.goto(url)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"comments-masthead-{size}.png")  # the account links
        section = page.locator("#comments")
        section.scroll_into_view_if_needed()
        section.screenshot(path=SCREENSHOTS / f"comments-{size}.png")
        # The same form sent back with a problem: the reason is shown and the text is kept.
        page.fill("textarea[name=body]", "My words stay where they were.")
        page.fill("input[name=name]", "Guest")
        page.fill("input[name=email]", "not-an-email")
        page.get_by_role("button", name="Comment", exact=True).click()
        page.wait_for_load_state()
        assert page.locator("textarea[name=body]").input_value() == "My words stay where they were."
        page.locator("#comment-form").screenshot(path=SCREENSHOTS / f"comments-refused-{size}.png")
        # The section fits the width: nothing sticks out sideways.
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0
        assert not problems, problems
    finally:
        context.close()


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_screenshots_of_the_account_pages(browser, story, size):
    from allauth.account.models import EmailAddress

    url, article = story
    reader = make_reader("Marta L.", email="marta@example.com")
    EmailAddress.objects.create(user=reader, email="marta@example.com", primary=True, verified=True)
    context, page, problems = new_page(browser, size)
    try:
        page.goto(url)
        page.get_by_role("link", name="Comment via Newsroom").click()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"accounts-login-{size}.png", full_page=True)
        page.fill("input[name=login]", "marta@example.com")
        page.fill("input[name=password]", "correct-horse")
        page.locator("form.account-form button[type=submit]").click()
        # Back on the story, at the form, signed in: only the comment box is asked for.
        page.wait_for_url(re.compile(re.escape(article.get_absolute_url())))
        form = page.locator("#comment-form")
        assert "Commenting as Marta L." in form.inner_text()
        assert form.locator("input[name=email]").count() == 0
        form.screenshot(path=SCREENSHOTS / f"comments-account-form-{size}.png")
        page.goto(url.split("/", 3)[0] + "//" + url.split("/", 3)[2] + "/accounts/profile/")
        page.screenshot(path=SCREENSHOTS / f"accounts-profile-{size}.png", full_page=True)
        assert not problems, problems
    finally:
        context.close()


def test_a_long_paste_is_counted_not_cut_and_refused_with_the_text_kept(browser, story):
    url, article = story
    context, page, problems = new_page(browser, "phone")
    long_text = "A sentence worth keeping. " * 120 + "The end."  # 3,128 characters
    try:
        page.goto(url)
        box = page.locator("textarea[name=body]")
        count = page.locator(".field__count")
        box.fill("Short.")
        assert count.inner_text() == "2,994 characters left"
        box.fill(long_text)
        assert len(box.input_value()) == len(long_text)  # nothing cut
        assert count.inner_text() == "128 characters too many"
        assert box.get_attribute("aria-invalid") == "true"
        page.fill("input[name=name]", "Long Writer")
        page.fill("input[name=email]", "long@example.com")
        page.get_by_role("button", name="Comment", exact=True).click()
        page.get_by_text("at most 3000 characters long; this one has 3128").wait_for()
        assert page.locator("textarea[name=body]").input_value() == long_text
        assert page.locator(".field__count").inner_text() == "128 characters too many"
        assert not Comment.objects.filter(name="Long Writer").exists()
        assert not problems, problems
    finally:
        context.close()


def test_on_an_earlier_page_show_new_comments_goes_to_the_page_they_are_on(browser, story, settings):
    url, article = story
    settings.COMMENTS_PER_PAGE = 2  # three comments: two pages
    context, page, problems = new_page(browser, "desktop")
    try:
        page.goto(url)  # page 1 of 2
        assert page.locator(".comments__pages").first.inner_text().count("Page 1 of 2") == 1
        [newest] = make_comments(article, 1, name="Late Reader", start=timezone.now())
        button = page.get_by_role("button", name="Show new comments (1)")
        button.wait_for(state="visible", timeout=10_000)
        button.click()
        page.wait_for_url(re.compile(rf"\?cpage=2#comment-{newest.pk}$"))
        assert page.locator(f"#comment-{newest.pk}").is_visible()
        # Page 1 kept only its own two comments: nothing was added out of order.
        assert not problems, problems
    finally:
        context.close()


def test_relative_times_stay_current(browser, story):
    url, article = story
    make_comments(article, 1, name="Just Now", start=timezone.now())
    context, page, problems = new_page(browser, "desktop")
    try:
        page.clock.install()
        page.goto(url)
        when = page.locator(".comment", has_text="Just Now").locator(".comment__time time")
        first = when.inner_text()
        assert re.fullmatch(r"now|\d+ seconds? ago", first), first
        page.clock.run_for(25_000)  # with the page left open
        later = when.inner_text()
        assert re.fullmatch(r"(1[5-9]|2\d|3[0-5]) seconds ago", later), later
        page.clock.run_for(60_000)
        assert when.inner_text() in ("1 minute ago", "2 minutes ago"), when.inner_text()
        assert not problems, problems
    finally:
        context.close()
