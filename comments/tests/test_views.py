import json
import os
import re
import subprocess
import sys
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article
from comments.models import Ban, BannedWord, Comment
from comments.views import cursor

from .helpers import guest_data, make_article, make_comments, make_reader, post_url, token

pytestmark = pytest.mark.django_db

XSS = '<script>alert("xss")</script><img src=x onerror=alert(1)>'


def story(client, article, **params):
    return client.get(article.get_absolute_url(), params)


# What a reader sees


def test_section_heading_count_standards_and_form(client):
    article = make_article()
    make_comments(article, 3)
    response = story(client, article)
    assertContains(response, '<h2 class="comments__title" id="comments-title">Discussion')
    assertContains(
        response,
        '<span class="comments__count"><span class="visually-hidden">comments: </span>'
        '<span class="comments__number">3</span></span>',
        html=True,
    )
    assertContains(response, f'href="{reverse("comments:standards")}"')
    assertContains(response, "By posting you agree to the")
    assertContains(response, "Community standards")
    assertContains(response, '<button type="submit" class="button">Comment</button>', html=True)
    assertContains(response, 'name="name"')
    assertContains(response, 'name="email"')
    assertContains(response, "Never shown publicly")
    assertContains(response, "Comment via Newsroom")
    assertContains(response, "All comments")


def test_comments_oldest_first_with_permalink_time_and_report(client):
    article = make_article()
    first, second = make_comments(article, 2)
    response = story(client, article)
    html = response.content.decode()
    assert html.index(f'id="comment-{first.pk}"') < html.index(f'id="comment-{second.pk}"')
    assertContains(response, f'href="/comments/{first.pk}/"')
    assertContains(response, f'class="comment__report" href="{reverse("comments:report", args=[first.pk])}"')
    # The exact time, as stored with the entry; the browser says "5 minutes ago" (comments.js).
    assert re.search(r'<time datetime="[^"]+">\d\d:\d\d GMT[^<]*, \d\d\.\d\d\.\d{4}</time>', html)


def test_held_rejected_and_removed_comments_are_not_shown(client):
    article = make_article()
    [held] = make_comments(article, 1, status=Comment.Status.PENDING, body="Held text")
    make_comments(article, 1, status=Comment.Status.REJECTED, body="Rejected text")
    make_comments(article, 1, status=Comment.Status.REMOVED, body="Removed text")
    response = story(client, article)
    assertNotContains(response, "Held text")
    assertNotContains(response, "Rejected text")
    assertNotContains(response, "Removed text")
    assert client.get(reverse("comments:permalink", args=[held.pk])).status_code == 404


def test_emails_are_never_shown(client):
    article = make_article()
    make_comments(article, 2, email="secret.person@example.com")
    assertNotContains(story(client, article), "secret.person")


def test_xss_in_name_and_comment_is_shown_as_text(client):
    article = make_article()
    response = client.post(post_url(article), guest_data(article, name=XSS[:50], body=XSS))
    assert response.status_code == 302
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;" in html
    new = client.get(reverse("comments:new", args=[article.pk]), {"since": 0}).json()
    assert "<script>alert" not in new["html"] and "&lt;script&gt;" in new["html"]


def test_avatars_are_initials_or_the_uploaded_picture(client):
    article = make_article()
    make_comments(article, 1, name="Olga Petrova")
    reader = make_reader("Ivan Ivanov")
    reader.profile.avatar.name = "avatars/ivan.jpg"
    reader.profile.save()
    make_comments(article, 1, user=reader)
    html = story(client, article).content.decode()
    assert re.search(r'<span class="avatar avatar--initials avatar--c\d+" aria-hidden="true">OP</span>', html)
    assert '<img class="avatar" src="/media/avatars/ivan.jpg"' in html
    assert "gravatar" not in html


def test_closed_story_shows_comments_but_no_form(client):
    article = make_article(allow_comments=False)
    make_comments(article, 2, body="Earlier words")
    response = story(client, article)
    assertContains(response, "Comments are closed")
    assertContains(response, "Earlier words", count=2)
    assertNotContains(response, 'class="comment-form"')


def test_story_closes_after_the_configured_days(client, settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 14
    article = make_article(published_at=timezone.now() - timedelta(days=15))
    assertContains(story(client, article), "Comments are closed")


# Posting


def test_guest_comment_lands_on_the_comment(client):
    article = make_article()
    response = client.post(post_url(article), guest_data(article, body="First!\n\nSecond paragraph."))
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}#comment-{comment.pk}"
    assert comment.ip_address == "127.0.0.1"
    page = client.get(response["Location"])
    assertContains(page, "<p>First!</p>\n\n<p>Second paragraph.</p>", html=False)
    assert Article.objects.get(pk=article.pk).comment_count == 1


def test_held_comment_says_awaiting_moderation(client):
    article = make_article(comments_premoderated=True)
    response = client.post(post_url(article), guest_data(article, body="Please approve me"), follow=True)
    assertContains(response, "Your comment is awaiting moderation")
    assertNotContains(response, "Please approve me</p>")
    assert response.redirect_chain[-1][0].endswith("#comments")


def test_link_heavy_and_banned_word_comments_go_to_the_queue(client):
    article = make_article()
    BannedWord.objects.create(word="dolt")
    links = "a.example.com b.example.com c.example.com"
    client.post(post_url(article), guest_data(article, body=links))
    client.post(post_url(article), guest_data(article, body="You dolt."))
    assert list(Comment.objects.order_by("pk").values_list("status", "hold_reason")) == [
        ("pending", "links"),
        ("pending", "banned_word"),
    ]


def test_account_form_asks_only_for_the_comment(client):
    reader = make_reader("Dana Scully")
    client.force_login(reader)
    article = make_article()
    response = story(client, article)
    assertContains(response, "Commenting as <strong>Dana Scully</strong>", html=False)
    assertNotContains(response, 'name="name"')
    assertNotContains(response, 'name="email"')
    response = client.post(post_url(article), {"body": "Signed in.", "token": token(article)})
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.user == reader and comment.name == "Dana Scully" and comment.email == ""


def test_duplicate_post_makes_one_comment(client):
    article = make_article()
    data = guest_data(article)
    first = client.post(post_url(article), data)
    second = client.post(post_url(article), data)
    assert Comment.objects.count() == 1
    assert first["Location"] == second["Location"]


def refused(response, status, reason):
    assert response.status_code == status, response.content[:300]
    assertContains(response, reason, status_code=status)


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"body": "   \n\n \u200b "}, "Write a comment before posting."),
        ({"body": "x" * 3001}, "at most 3000 characters long; this one has 3001"),
        ({"name": "n" * 51}, "Ensure this value has at most 50 characters"),
        ({"name": "   "}, "Enter your name."),
        ({"email": "not-an-email"}, "Enter a valid email address."),
        ({"website": "http://spam.example"}, "Your comment looks automated"),
    ],
)
def test_invalid_posts_are_refused_and_keep_the_text(client, overrides, reason):
    article = make_article()
    data = guest_data(article, body="My carefully typed words.", name="Keeps Name", email="keep@example.com")
    data.update(overrides)
    response = client.post(post_url(article), data)
    refused(response, 400, reason)
    if "body" not in overrides:
        assertContains(response, "My carefully typed words.", status_code=400)
    if "name" not in overrides:
        assertContains(response, 'value="Keeps Name"', status_code=400)
    assert Comment.objects.count() == 0


def test_exactly_3000_characters_is_accepted(client):
    article = make_article()
    assert client.post(post_url(article), guest_data(article, body="y" * 3000)).status_code == 302


@pytest.mark.parametrize(
    ("age", "reason"),
    [(1, "faster than anyone can type"), (2 * 3600 + 5, "open for more than 2 hours")],
)
def test_forms_sent_too_fast_or_too_late_are_refused(client, age, reason):
    article = make_article()
    response = client.post(
        post_url(article), guest_data(article, body="Kept text", token=token(article, age))
    )
    refused(response, 400, reason)
    assertContains(response, "Kept text", status_code=400)
    # The form comes back with a fresh timestamp, so pressing Comment again (later) works.
    fresh = re.search(r'name="token" value="([^"]+)"', response.content.decode()).group(1)
    assert fresh != guest_data(article)["token"]


@pytest.mark.parametrize("bad", ["forged", "", token.__name__])
def test_tampered_or_missing_tokens_are_refused(client, bad):
    article = make_article()
    data = guest_data(article, body="Kept text")
    data["token"] = data["token"][:-3] + "abc" if bad == "token" else bad
    response = client.post(post_url(article), data)
    assert response.status_code == 400
    assertContains(response, "Kept text", status_code=400)


def test_token_from_another_story_is_refused(client):
    article, other = make_article(), make_article()
    response = client.post(post_url(article), guest_data(article, token=token(other)))
    refused(response, 400, "belongs to another story")


def test_closed_story_refuses_and_keeps_the_text(client):
    article = make_article(comments_close_at=timezone.now() - timedelta(hours=1))
    response = client.post(post_url(article), guest_data(article, body="Too late words"))
    refused(response, 400, "Comments are closed on this story.")
    assertContains(response, "Too late words", status_code=400)
    assert Comment.objects.count() == 0


def test_unpublished_story_refuses_and_keeps_the_text(client):
    article = make_article(state="draft")
    response = client.post(post_url(article), guest_data(article, body="Words for a pulled story"))
    refused(response, 404, "not available any more")
    assertContains(response, "Words for a pulled story", status_code=404)
    assertNotContains(response, article.headline, status_code=404)
    assert client.post(post_url(Article(pk=99999)), {"body": "x"}).status_code == 404


def test_banned_guest_gets_403_with_text_kept(client):
    Ban.objects.create(kind="email", value="banned@example.com")
    article = make_article()
    response = client.post(post_url(article), guest_data(article, email="Banned@example.com", body="Kept"))
    refused(response, 403, "You can no longer comment")
    assertContains(response, "Kept", status_code=403)
    # "Write to us" says where: the Contact page.
    assertContains(response, '<p><a href="/contact/">Contact us</a></p>', status_code=403, html=True)


def test_rate_limit_per_ip_answers_429(client, settings):
    settings.COMMENTS_RATE_LIMIT = "2/60"
    article = make_article()
    for _ in range(2):
        assert client.post(post_url(article), guest_data(article)).status_code == 302
    response = client.post(post_url(article), guest_data(article, body="Third in a minute"))
    refused(response, 429, "You are commenting too fast")
    assertContains(response, "Third in a minute", status_code=429)
    assert Comment.objects.count() == 2
    # Another address is not affected.
    other = client.post(post_url(article), guest_data(article), REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 302


def test_rate_limit_per_account_follows_the_reader_across_addresses(client, settings):
    settings.COMMENTS_RATE_LIMIT = "2/60"
    reader = make_reader()
    client.force_login(reader)
    article = make_article()
    for n, address in enumerate(["203.0.113.1", "203.0.113.2", "203.0.113.3"]):
        response = client.post(
            post_url(article), {"body": f"Post {n}", "token": token(article)}, REMOTE_ADDR=address
        )
    assert response.status_code == 429
    assert Comment.objects.count() == 2


def test_post_without_csrf_token_is_refused():
    article = make_article()
    client = Client(enforce_csrf_checks=True)
    response = client.post(post_url(article), guest_data(article))
    assert response.status_code == 403
    assert Comment.objects.count() == 0


def test_post_with_csrf_token_is_accepted():
    article = make_article()
    client = Client(enforce_csrf_checks=True)
    client.get(article.get_absolute_url())
    # The page is shared by every anonymous reader, so its form's token comes from /csrf/ (csrf.js).
    csrf = client.get(reverse("csrf_token")).json()["token"]
    response = client.post(post_url(article), guest_data(article, csrfmiddlewaretoken=csrf))
    assert response.status_code == 302


def test_posting_needs_post(client):
    article = make_article()
    assert client.get(post_url(article)).status_code == 405


# Reports


def test_report_once_then_hidden_at_threshold(client, settings):
    settings.COMMENTS_REPORT_THRESHOLD = 2
    article = make_article()
    [comment] = make_comments(article, 1, body="Contested words")
    url = reverse("comments:report", args=[comment.pk])
    response = client.post(url, {"reason": "abuse"}, follow=True)
    assertContains(response, "A moderator will look at this comment")
    response = client.post(url, {"reason": "abuse"}, follow=True)
    assertContains(response, "You have already reported this comment")
    comment.refresh_from_db()
    assert comment.report_count == 1
    client.post(url, {"reason": "spam"}, REMOTE_ADDR="203.0.113.50")  # the same browser elsewhere
    comment.refresh_from_db()
    assert comment.report_count == 1
    Client().post(url, {"reason": "spam"}, REMOTE_ADDR="203.0.113.50")  # another reader
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assertNotContains(story(client, article), "Contested words")
    assert Article.objects.get(pk=article.pk).comment_count == 0


def test_report_answers_json_for_the_script(client):
    article = make_article()
    [comment] = make_comments(article, 1)
    url = reverse("comments:report", args=[comment.pk])
    response = client.post(url, {"reason": "spam"}, HTTP_ACCEPT="application/json")
    assert response.json() == {"message": "Thank you. A moderator will look at this comment."}
    response = client.post(url, {"reason": "made-up"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert response.json() == {"message": "Choose why you are reporting this comment."}


def test_accounts_report_once_from_any_address(client):
    article = make_article()
    [comment] = make_comments(article, 1)
    client.force_login(make_reader())
    url = reverse("comments:report", args=[comment.pk])
    client.post(url, {"reason": "spam"}, REMOTE_ADDR="203.0.113.1")
    client.post(url, {"reason": "spam"}, REMOTE_ADDR="203.0.113.2")
    comment.refresh_from_db()
    assert comment.report_count == 1


def test_without_javascript_the_report_link_asks_first_and_the_form_posts_at_once():
    article = make_article()
    [comment] = make_comments(article, 1, body="Words to report", name="Olga")
    reader = Client(enforce_csrf_checks=True)
    url = reverse("comments:report", args=[comment.pk])

    page = reader.get(url)

    assertContains(page, "Report this comment?")
    assertContains(page, "Words to report")
    assertContains(page, '<meta name="robots" content="noindex">')
    assert page["Cache-Control"] == "private, no-store"  # it carries this reader's own token
    (token,) = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assertContains(page, '<input type="radio" name="reason" value="off_topic" required>', html=True)
    refused = reader.post(url, {"csrfmiddlewaretoken": token})
    assertContains(refused, "Choose why you are reporting this comment.", status_code=400)
    response = reader.post(url, {"csrfmiddlewaretoken": token, "reason": "off_topic"}, follow=True)
    assertContains(response, "A moderator will look at this comment")
    comment.refresh_from_db()
    assert comment.report_count == 1
    assert comment.reports.get().reason == "off_topic"


def test_two_readers_on_one_address_are_two_reporters_but_one_address_cannot_hide_alone(settings):
    settings.COMMENTS_REPORT_THRESHOLD = 3
    settings.COMMENTS_REPORTS_PER_ADDRESS = 2
    article = make_article()
    [comment] = make_comments(article, 1)
    url = reverse("comments:report", args=[comment.pk])
    same_address = {"REMOTE_ADDR": "198.51.100.7"}
    first, second, third = Client(), Client(), Client()
    response = first.post(url, {"reason": "spam"}, **same_address)
    cookie = response.cookies["reader"]
    assert re.fullmatch(r"[0-9a-f]{32}", cookie.value) and cookie["httponly"] and cookie["samesite"] == "Lax"
    assertContains(first.post(url, {"reason": "spam"}, follow=True, **same_address), "already reported")
    response = second.post(url, {"reason": "abuse"}, follow=True, **same_address)
    assertContains(response, "A moderator will look")
    comment.refresh_from_db()
    assert comment.report_count == 2 and comment.is_published
    # A third browser on the same address (or a cleared cookie): not counted.
    assertContains(third.post(url, {"reason": "spam"}, follow=True, **same_address), "already reported")
    comment.refresh_from_db()
    assert comment.report_count == 2 and comment.is_published
    assert sorted(comment.reports.values_list("reason", flat=True)) == ["abuse", "spam"]
    # Elsewhere, a third reader does hide it.
    Client().post(url, {"reason": "spam"}, REMOTE_ADDR="203.0.113.9")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


def test_report_links_are_not_followed_by_crawlers(client):
    article = make_article()
    make_comments(article, 1)
    assert 'class="comment__report" href="' in story(client, article).content.decode()
    assertContains(story(client, article), 'rel="nofollow"')


def test_reports_of_hidden_comments_are_404(client):
    article = make_article()
    [comment] = make_comments(article, 1, status=Comment.Status.REMOVED)
    assert client.post(reverse("comments:report", args=[comment.pk])).status_code == 404


# Pages and permalinks


def test_long_threads_are_paginated_by_fifty(client):
    article = make_article()
    comments = make_comments(article, 120)
    html = story(client, article).content.decode()
    assert f'id="comment-{comments[0].pk}"' in html and f'id="comment-{comments[49].pk}"' in html
    assert f'id="comment-{comments[50].pk}"' not in html
    assert "Page 1 of 3" in html
    third = story(client, article, cpage=3).content.decode()
    assert f'id="comment-{comments[100].pk}"' in third and f'id="comment-{comments[119].pk}"' in third
    # Out-of-range and junk pages do not break the story.
    assert f'id="comment-{comments[119].pk}"' in story(client, article, cpage=99).content.decode()
    assert story(client, article, cpage="x").status_code == 200


@pytest.mark.parametrize(("index", "page"), [(0, 1), (49, 1), (50, 2), (99, 2), (100, 3), (119, 3)])
def test_permalink_opens_the_page_the_comment_is_on(client, index, page):
    article = make_article()
    comments = make_comments(article, 120)
    response = client.get(reverse("comments:permalink", args=[comments[index].pk]))
    query = f"?cpage={page}" if page > 1 else ""
    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}{query}#comment-{comments[index].pk}"
    assertContains(client.get(response["Location"]), f'id="comment-{comments[index].pk}"')


def test_posting_on_a_long_thread_lands_on_the_last_page(client):
    article = make_article()
    make_comments(article, 60)
    response = client.post(post_url(article), guest_data(article))
    comment = Comment.objects.latest("created_at")
    assert response["Location"] == f"{article.get_absolute_url()}?cpage=2#comment-{comment.pk}"


def test_community_standards_page(client):
    response = client.get(reverse("comments:standards"))
    assertContains(response, "<h1>Community standards</h1>", html=True)
    assertContains(response, "What we remove")


# Show new comments


def new_url(article):
    return reverse("comments:new", args=[article.pk])


def test_new_comments_endpoint_counts_and_renders_published_ones_only(client):
    article = make_article()
    page_loaded = timezone.now() - timedelta(seconds=1)
    make_comments(article, 2, start=timezone.now() - timedelta(hours=1))
    fresh = make_comments(article, 2, start=timezone.now(), email="hidden.address@example.com")
    make_comments(article, 1, status=Comment.Status.PENDING, start=timezone.now(), body="Not yet")
    response = client.get(new_url(article), {"since": cursor(page_loaded)})
    data = response.json()
    assert response.status_code == 200
    assert data["count"] == 2
    assert data["ids"] == [c.pk for c in fresh]
    assert f'id="comment-{fresh[0].pk}"' in data["html"]
    assert "Not yet" not in data["html"]
    assert "hidden.address" not in json.dumps(data)
    assert data["since"] == cursor(fresh[-1].published_at)
    # Asking again from where the answer left off: nothing new.
    again = client.get(new_url(article), {"since": data["since"]}).json()
    assert again["count"] == 0 and again["html"].strip() == ""
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_approved_comment_counts_as_new_when_it_is_published(client):
    article = make_article(comments_premoderated=True)
    client.post(post_url(article), guest_data(article, body="Approved later"))
    loaded = timezone.now()
    from comments.services import moderate

    moderate(Comment.objects.all(), Comment.Status.PUBLISHED)
    data = client.get(new_url(article), {"since": cursor(loaded)}).json()
    assert data["count"] == 1 and "Approved later" in data["html"]


@pytest.mark.parametrize("since", [None, "", "yesterday", "1.5", "99999999999999999999999999"])
def test_new_comments_with_a_bad_since_is_400(client, since):
    article = make_article()
    params = {} if since is None else {"since": since}
    response = client.get(new_url(article), params)
    assert response.status_code == 400
    assert "since" in response.json()["error"]


def test_new_comments_of_unpublished_story_is_404(client):
    article = make_article(state="draft")
    assert client.get(new_url(article), {"since": 0}).status_code == 404


def test_page_gives_the_script_its_poll_settings(client, settings):
    settings.COMMENTS_POLL_SECONDS = 30
    article = make_article()
    html = story(client, article).content.decode()
    assert f'data-new-url="{new_url(article)}"' in html
    assert 'data-poll-seconds="30"' in html
    since = int(re.search(r'data-since="(\d+)"', html).group(1))
    assert abs(since - cursor(timezone.now())) < 60 * 1_000_000
    assert '<script src="/static/js/comments.js" defer></script>' in html
    assert "<script>" not in html  # no inline script: the CSP forbids it


# Query counts


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.fixture
def warm(client):
    """A worker that has served pages before: what Django itself keeps for the process (compiled
    templates, content types) is no part of a page's cost. The application keeps nothing."""
    warmup = make_article()
    client.get(warmup.get_absolute_url())
    client.get("/")
    return client


def test_article_page_queries_do_not_grow_with_comments(warm):
    counts = {}
    for n in (0, 1, 50, 500):
        article = make_article()
        make_comments(article, n)
        counts[n] = queries_for(warm, article.get_absolute_url())
    assert counts[1] == counts[50] == counts[500]
    assert counts[500] <= 8  # the most any reader page may take
    # With no comments the page needs no query for them at all.
    assert counts[0] == counts[1] - 1


def test_article_page_queries_for_a_later_comment_page(warm):
    article = make_article()
    make_comments(article, 500)
    first = queries_for(warm, article.get_absolute_url())
    assert queries_for(warm, article.get_absolute_url() + "?cpage=7") == first


def test_account_comments_cost_no_extra_queries(warm):
    plain, with_accounts = make_article(), make_article()
    make_comments(plain, 20)
    for i in range(20):
        make_comments(with_accounts, 1, user=make_reader(f"Reader {i}"))
    warm.get(plain.get_absolute_url())
    warm.get(with_accounts.get_absolute_url())
    assert queries_for(warm, with_accounts.get_absolute_url()) == queries_for(warm, plain.get_absolute_url())


@pytest.mark.parametrize("page", ["home", "section", "tag"])
def test_lists_show_comment_counts_without_queries_per_story(client, page):
    from articles.tests.factories import make_section

    section = make_section("World", slug="world")
    articles = [make_article(section=section, tags=["climate"]) for _ in range(2)]
    make_comments(articles[0], 3)
    url = {"home": "/", "section": "/world/", "tag": "/tag/climate/"}[page]
    client.get(url)
    few = queries_for(client, url)
    response = client.get(url)
    assertContains(response, "3 comments")
    for _ in range(6):
        article = make_article(section=section, tags=["climate"])
        make_comments(article, 2)
    client.get(url)
    assert queries_for(client, url) == few
    assert client.get(url).content.decode().count("2 comments") >= 6


def test_staff_comments_show_their_byline_and_a_newsroom_badge(client):
    from articles.models import Author

    article = make_article()
    reporter = make_reader("", is_staff=True)  # no display name: once shown as "Reader <id>"
    reporter.first_name, reporter.last_name = "Ana", "Ortiz"
    reporter.save()
    make_comments(article, 1, user=reporter)
    make_comments(article, 1, user=make_reader("Maria K."))
    page = client.get(article.get_absolute_url()).content.decode()
    assert page.count('class="comment__badge"') == 1
    badge = '<span class="comment__badge">Newsroom</span>'
    assert f'<span class="comment__author">Ana Ortiz</span> {badge}' in page
    assert "Reader " not in page.split('id="comments"')[-1]
    # Linked to a byline: the byline's name, on entries stored before too.
    Author.objects.create(name="A. Ortiz, Staff Reporter", slug="a-ortiz", user=reporter)
    page = client.get(article.get_absolute_url()).content.decode()
    assert '<span class="comment__author">A. Ortiz, Staff Reporter</span>' in page


FACEBOOK_PAGES = """
import json, django
django.setup()
from django.core.management import call_command
from django.test import Client
from django.test.utils import setup_test_environment
call_command("migrate", verbosity=0)
setup_test_environment()
from comments.tests.helpers import make_article
url = make_article().get_absolute_url()
client = Client()
print(json.dumps({"story": client.get(url).content.decode(),
                  "login": client.get("/accounts/login/", {"next": url + "#comment-form"}).content.decode()}))
"""


def test_with_facebook_configured_readers_can_comment_via_facebook(tmp_path):
    """Providers are installed apps, chosen when settings load: a process of its own."""
    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'facebook.sqlite3'}",
        "FACEBOOK_CLIENT_ID": "1234",
        "FACEBOOK_SECRET": "not-a-secret",
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
    }
    environment.pop("REDIS_URL", None)
    result = subprocess.run(  # noqa: S603 - this interpreter, our own script
        [sys.executable, "-c", FACEBOOK_PAGES],
        env=environment,
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    pages = json.loads(result.stdout.strip().splitlines()[-1])
    # Beside the guest form and the site's own accounts, as on the model page.
    modes = re.search(r'<div class="comment-form__modes">(.*?)</div>', pages["story"], re.S).group(1)
    labels = re.findall(r">([^<>]+)</(?:a|span)>", modes)
    assert labels == ["Comment as a guest", "Comment via Facebook", "Comment via Newsroom"]
    facebook = "/accounts/facebook/login/?process=login&amp;next="
    assert re.search(rf'href="{re.escape(facebook)}%2F[^"]+%23comment-form"', modes)
    assert f'<a class="provider provider--facebook" href="{facebook}' in pages["login"]
    assert "Continue with Facebook" in pages["login"]
