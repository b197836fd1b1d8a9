"""Replies, own comments and editors' picks in real Chromium (issue 12).

Two readers in two browser contexts: B replies, A (page open) is offered the reply and sees it
under its parent. An account edits, then deletes its comment. A reader without JavaScript replies
through the Reply link. Screenshots land in test-artifacts/screenshots/.
"""

import re

import pytest
from django.conf import settings as django_settings
from django.test import Client

from comments.models import Comment
from comments.services import feature

from .helpers import make_comments, make_reader, make_reply
from .test_browser import SCREENSHOTS, SIZES, make_discussed_story, new_page

pytestmark = pytest.mark.browser


@pytest.fixture
def thread_story(live_server, settings, transactional_db):
    """A story with three comments (as test_browser's), its page polled every second."""
    settings.COMMENTS_POLL_SECONDS = 1
    settings.COMMENTS_MIN_SECONDS = 0  # readers here type faster than a person could
    article = make_discussed_story()
    make_comments(article, 1, user=make_reader("Marta Lindqvist"), body="When will the full report be out?")
    return live_server.url + article.get_absolute_url(), article


def sign_in(context, live_server, user):
    """The browser context signed in as `user`, with a session made the way Django makes one."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def test_a_reply_arrives_live_under_its_parent(browser, thread_story):
    url, article = thread_story
    olga = Comment.objects.get(name="Olga Petrova")
    context_a, page_a, problems_a = new_page(browser, "desktop")
    context_b, page_b, problems_b = new_page(browser, "phone")
    try:
        page_a.goto(url)
        page_b.goto(url)
        entry = page_b.locator(f"#comment-{olga.pk}")
        entry.get_by_role("link", name="Reply to the comment by Olga Petrova").click()
        # The form moves under the comment, set to answer it.
        form = page_b.locator("li.comment-form-slot #comment-form")
        form.wait_for()
        assert "Replying to Olga Petrova" in form.inner_text()
        assert page_b.evaluate(
            f"document.getElementById('comment-{olga.pk}').nextElementSibling.classList.contains('comment-form-slot')"
        )
        page_b.fill("textarea[name=body]", "Agreed, and the annex is worth reading.")
        page_b.fill("input[name=name]", "Reader B")
        page_b.fill("input[name=email]", "b@example.com")
        page_b.get_by_role("button", name="Comment", exact=True).click()
        page_b.wait_for_url(re.compile(r"#comment-\d+$"))
        reply = Comment.objects.get(name="Reader B")
        assert reply.thread_root_id == olga.pk

        button = page_a.get_by_role("button", name="Show new comments (1)")
        button.wait_for(state="visible", timeout=10_000)
        button.click()
        inserted = page_a.locator(f"#comment-{reply.pk}")
        inserted.wait_for(state="visible")
        # Right under its parent, indented, saying whom it answers.
        assert (
            page_a.evaluate(f"document.getElementById('comment-{olga.pk}').nextElementSibling.id")
            == f"comment-{reply.pk}"
        )
        assert "Reply to Olga Petrova" in inserted.inner_text()
        parent_box = page_a.locator(f"#comment-{olga.pk}").bounding_box()
        assert inserted.bounding_box()["x"] > parent_box["x"] + 20
        assert page_a.locator(".comments__number").inner_text() == "4"
        assert not problems_a and not problems_b, problems_a + problems_b
    finally:
        context_a.close()
        context_b.close()


def test_an_account_edits_then_deletes_its_comment(browser, thread_story, live_server):
    url, article = thread_story
    author = make_reader("Ines Duarte")
    context, page, problems = new_page(browser, "desktop")
    sign_in(context, live_server, author)
    try:
        page.goto(url)
        page.fill("textarea[name=body]", "The hourly data will be pubic from May.")
        page.get_by_role("button", name="Comment", exact=True).click()
        page.wait_for_url(re.compile(r"#comment-\d+$"))
        mine = Comment.objects.get(user=author)
        entry = page.locator(f"#comment-{mine.pk}")
        # Only on the author's own comment.
        assert page.locator("a.comment__edit:visible").count() == 1
        entry.get_by_role("link", name="Edit").click()
        page.wait_for_url(re.compile(r"/edit/$"))
        page.fill("textarea[name=body]", "The hourly data will be public from May.")
        page.get_by_role("button", name="Save").click()
        page.wait_for_url(re.compile(rf"#comment-{mine.pk}$"))
        assert "public from May" in entry.inner_text()
        assert entry.locator(".comment__edited").inner_text() == "edited"
        assert page.get_by_text("Your comment was changed.").is_visible()

        entry.get_by_role("link", name="Delete").click()
        page.wait_for_url(re.compile(r"/delete/$"))
        page.get_by_role("button", name="Delete").click()
        page.wait_for_url(re.compile(r"#comments$"))
        assert page.get_by_text("Your comment was deleted.").is_visible()
        assert page.locator(f"#comment-{mine.pk}").count() == 0
        assert page.locator(".comments__number").inner_text() == "3"
        assert not problems, problems
    finally:
        context.close()


def test_without_javascript_a_reader_replies_through_the_reply_link(browser, thread_story):
    url, article = thread_story
    chidi = Comment.objects.get(name="Chidi Okafor")
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(url)
        page.locator(f"#comment-{chidi.pk}").get_by_role(
            "link", name="Reply to the comment by Chidi Okafor"
        ).click()
        page.wait_for_url(re.compile(rf"reply_to={chidi.pk}#comment-form$"))
        assert "Replying to Chidi Okafor" in page.locator("#comment-form").inner_text()
        page.fill("textarea[name=body]", "Thank you for the annex link.")
        page.fill("input[name=name]", "No Script")
        page.fill("input[name=email]", "noscript@example.com")
        page.get_by_role("button", name="Comment", exact=True).click()  # one press, no token needed
        page.wait_for_url(re.compile(r"#comment-\d+$"))
        reply = Comment.objects.get(name="No Script")
        assert (reply.parent_id, reply.thread_root_id) == (chidi.pk, chidi.pk)
        assert (
            page.evaluate(f"document.getElementById('comment-{chidi.pk}').nextElementSibling.id")
            == f"comment-{reply.pk}"
        )
        assert "Reply to Chidi Okafor" in page.locator(f"#comment-{reply.pk}").inner_text()
    finally:
        context.close()


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_screenshots_of_a_thread_with_replies_and_picks(browser, thread_story, size):
    url, article = thread_story
    olga, chidi = Comment.objects.get(name="Olga Petrova"), Comment.objects.get(name="Chidi Okafor")
    answer = make_reply(chidi, name="Aino Virtanen", body="Which annex? The link gives me a 404.")
    make_reply(answer, name="Chidi Okafor", body="Annex B, second page. It moved this morning.")
    make_reply(olga, name="Tomás Ruiz", body="Agreed. The maps are especially good.")
    feature(Comment.objects.filter(pk__in=[chidi.pk]))
    context, page, problems = new_page(browser, size)
    try:
        page.goto(url)
        section = page.locator("#comments")
        section.scroll_into_view_if_needed()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        section.screenshot(path=SCREENSHOTS / f"comments-threads-{size}.png")
        assert page.locator(f".comments__picks #pick-{chidi.pk}").is_visible()
        page.locator(f"#comment-{answer.pk}").get_by_role(
            "link", name="Reply to the comment by Aino Virtanen"
        ).click()
        page.locator("li.comment-form-slot").screenshot(path=SCREENSHOTS / f"comments-reply-form-{size}.png")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0
        assert SIZES[size][0] in (390, 1280)
        assert not problems, problems
    finally:
        context.close()
