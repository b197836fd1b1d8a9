"""Reply notifications in real Chromium: a guest ticks the box, confirms from the email, gets a
reply's email and stops them from its link. Screenshots of the form and both pages at phone and
desktop widths land in test-artifacts/screenshots/."""

import re

import pytest

from comments.models import Comment, ReplySubscription

from .helpers import make_article, make_reply
from .test_browser import SCREENSHOTS, SIZES, new_page

pytestmark = pytest.mark.browser


@pytest.fixture
def story(live_server, settings, transactional_db):
    settings.COMMENTS_MIN_SECONDS = 0
    settings.COMMENTS_REPLY_EMAIL_MINUTES = 15
    settings.SITE_URL = ""
    return make_article(
        "Harbour bridge to close for repairs",
        lead="The city says the work will take six weeks; ferries will run every twenty minutes.",
    )


def email_link(message, kind):
    return re.search(rf"(http://\S+/comments/replies/{kind}/\S+/)", message.body).group(1)


@pytest.mark.parametrize("size", SIZES)
def test_a_guest_subscribes_confirms_gets_a_reply_and_stops(browser, story, live_server, mailoutbox, size):
    context, page, problems = new_page(browser, size)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    try:
        page.goto(live_server.url + story.get_absolute_url())
        box = page.get_by_label("Email me when someone replies")
        assert not box.is_checked()
        page.fill("textarea[name=body]", "Will the night buses still cross?")
        page.fill("input[name=name]", "Ann Lee")
        page.fill("input[name=email]", "ann@example.com")
        box.check()
        page.locator(".comment-form__notify").scroll_into_view_if_needed()
        page.screenshot(path=SCREENSHOTS / f"comments-notify-form-{size}.png")
        page.get_by_role("button", name="Comment", exact=True).click()
        page.wait_for_url(re.compile(r"#comment-\d+$"))
        assert "we sent a link to ann@example.com" in page.locator(".comments__messages").inner_text()

        [confirmation] = mailoutbox
        page.goto(email_link(confirmation, "confirm"))
        page.screenshot(path=SCREENSHOTS / f"comments-notify-confirm-{size}.png", full_page=True)
        page.get_by_role("button", name="Confirm").click()
        page.get_by_text("Confirmed. We will email ann@example.com").wait_for()
        assert ReplySubscription.objects.get().confirmed_at is not None

        make_reply(Comment.objects.get(name="Ann Lee"), name="Ben Ortiz", body="They will, every hour.")
        notification = mailoutbox[1]
        page.goto(email_link(notification, "stop"))
        page.screenshot(path=SCREENSHOTS / f"comments-notify-stop-{size}.png", full_page=True)
        page.get_by_role("button", name="Stop these emails").click()
        page.get_by_text("You will get no more emails about this conversation.").wait_for()
        page.screenshot(path=SCREENSHOTS / f"comments-notify-stopped-{size}.png", full_page=True)
        assert ReplySubscription.objects.get().unsubscribed_at is not None
        assert not problems, problems
    finally:
        context.close()
