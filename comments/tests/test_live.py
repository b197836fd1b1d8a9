"""Live comments: what is announced, and the stream a page reads (comments/live.py, stream.py)."""

import json
import time

import pytest
import redis
from django.urls import reverse

from comments import live, stream
from comments.models import Comment
from comments.services import moderate, post_comment

from .helpers import make_article, make_comments
from .live_helpers import REDIS_URL, Reader, ServerThread, live_settings, redis_or_skip


@pytest.fixture
def channel(settings):
    """Live comments on, and a subscriber to their channel: what gets announced."""
    redis_or_skip()
    live_settings(settings)
    live._down_until = 0.0
    pubsub = redis.Redis.from_url(REDIS_URL).pubsub(ignore_subscribe_messages=True)
    pubsub.subscribe(settings.COMMENTS_STREAM_CHANNEL)

    def announced(wait=1.0):
        found, deadline = [], time.monotonic() + wait
        while time.monotonic() < deadline:
            message = pubsub.get_message(timeout=0.1)
            if message:
                found.append(json.loads(message["data"]))
        return found

    yield announced
    pubsub.close()


@pytest.fixture
def server(transactional_db, settings):
    redis_or_skip()
    live_settings(settings)
    live._down_until = 0.0
    running = ServerThread()
    yield running
    running.stop()


def guest_comment(article, body="A view.", **kwargs):
    return post_comment(article=article, body=body, name="Guest", email="guest@example.com", **kwargs)


# What is announced


@pytest.mark.django_db
def test_a_published_comment_is_announced_after_commit_with_its_entry(
    channel, django_capture_on_commit_callbacks
):
    article = make_article()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        comment = guest_comment(article)
    assert channel(0.3) == []  # nothing before the commit
    for callback in callbacks:
        callback()
    (message,) = channel()
    assert message == {
        "article": article.pk,
        "id": comment.pk,
        "cursor": live.cursor(comment.published_at),
        "html": comment.entry_html,
    }
    assert f'id="comment-{comment.pk}"' in message["html"]


@pytest.mark.django_db
def test_a_held_comment_is_announced_when_approved_not_when_rejected(
    channel, settings, django_capture_on_commit_callbacks
):
    settings.COMMENTS_PREMODERATION = True
    article = make_article()
    with django_capture_on_commit_callbacks(execute=True):
        held = guest_comment(article, body="Held one.")
        other = guest_comment(article, body="Held two.")
    assert held.status == Comment.Status.PENDING
    assert channel(0.3) == []
    with django_capture_on_commit_callbacks(execute=True):
        moderate(Comment.objects.filter(pk=other.pk), Comment.Status.REJECTED)
    assert channel(0.3) == []
    with django_capture_on_commit_callbacks(execute=True):
        moderate(Comment.objects.filter(pk=held.pk), Comment.Status.PUBLISHED)
    (message,) = channel()
    held.refresh_from_db()
    assert (message["id"], message["cursor"]) == (held.pk, live.cursor(held.published_at))
    assert message["html"] == held.entry_html


@pytest.mark.django_db
def test_nothing_is_announced_with_live_comments_off(channel, settings, django_capture_on_commit_callbacks):
    settings.COMMENTS_STREAM = False
    with django_capture_on_commit_callbacks(execute=True):
        guest_comment(make_article())
    assert channel(0.3) == []


@pytest.mark.django_db
def test_posting_works_with_redis_down_and_waits_for_it_no_more_than_once(
    settings, client, django_capture_on_commit_callbacks
):
    live_settings(settings, redis_url="redis://127.0.0.1:1/0")  # nothing listens there
    live._down_until = 0.0
    article = make_article()
    with django_capture_on_commit_callbacks(execute=True):
        comment = guest_comment(article)
    assert comment.is_published
    assert live._down_until > time.monotonic()  # the next posts do not try Redis for a while


# The page


@pytest.mark.django_db
def test_the_page_names_its_stream_only_with_live_comments_on(client, settings):
    article = make_article()
    settings.COMMENTS_STREAM = False
    assert b"data-stream-url" not in client.get(article.get_absolute_url()).content
    settings.COMMENTS_STREAM = True
    url = reverse("comments:stream", args=[article.pk])
    assert f'data-stream-url="{url}"'.encode() in client.get(article.get_absolute_url()).content


@pytest.mark.django_db
def test_the_stream_url_reaching_django_says_to_poll(client, settings):
    article = make_article()
    response = client.get(reverse("comments:stream", args=[article.pk]))
    assert response.status_code == 503
    assert response["Retry-After"] == str(settings.COMMENTS_POLL_SECONDS)


# Cursors


def test_cursors_from_pages_and_browsers():
    now = 1_800_000_000_000_000
    assert stream.starting_cursor({}, None, now) == (now, None)
    assert stream.starting_cursor({"since": "123"}, None, now) == (123, None)
    assert stream.starting_cursor({"since": "123"}, "456", now) == (456, None)  # a reconnection
    assert stream.starting_cursor({"since": "9" * 18}, None, now) == (now, None)  # the future is now
    for forged in ("abc", "-5", "1e9", "１２３", "9" * 19, "", " "):
        assert stream.starting_cursor({"since": forged}, None, now)[1], forged
        # A browser cannot change the Last-Event-ID it sends: a forged one starts from now.
        assert stream.starting_cursor({}, forged, now) == (now, None), forged


# The stream, through uvicorn


def test_a_comment_reaches_an_open_stream_once_with_its_cursor_as_id(server):
    article = make_article()
    reader = Reader(server.port, article.pk, since=live.cursor(article.published_at))
    assert reader.status == 200
    assert reader.headers["Content-Type"] == "text/event-stream; charset=utf-8"
    assert reader.headers["Cache-Control"] == "no-store"
    assert reader.headers["X-Accel-Buffering"] == "no"
    time.sleep(0.2)
    comment = guest_comment(article)
    assert reader.wait_for(1) == [comment.pk]
    assert reader.events[0]["event_id"] == str(live.cursor(comment.published_at))
    assert reader.events[0]["html"] == Comment.objects.get(pk=comment.pk).entry_html
    # Announced again (an approval of a reported comment, say): not sent twice.
    live.publish([json.dumps(live.message(comment))])
    time.sleep(0.3)
    assert len(reader.events) == 1
    reader.close()


def test_a_reconnecting_browser_gets_what_it_missed_and_no_more_than_the_newest(server):
    article = make_article()
    old = make_comments(article, 3)
    missed = make_comments(article, stream.CATCH_UP + 5, start=old[-1].published_at + _minutes(30))
    last_seen = live.cursor(old[-1].published_at)
    reader = Reader(server.port, article.pk, since=1, last_event_id=last_seen)
    assert reader.status == 200
    ids = [event["id"] for event in _wait(reader, stream.CATCH_UP)]
    assert len(ids) == stream.CATCH_UP  # clamped to the newest
    assert ids == [comment.pk for comment in missed[-stream.CATCH_UP :]]
    reader.close()


def test_stale_forged_and_odd_requests_never_get_a_server_error(server):
    article = make_article()
    make_comments(article, 2)
    ancient = Reader(server.port, article.pk, since=0)
    assert ancient.status == 200
    assert len(_wait(ancient, 2)) == 2
    ancient.close()
    forged = Reader(server.port, article.pk, last_event_id="<script>")
    assert forged.status == 200  # from now on
    forged.close()
    assert Reader(server.port, article.pk, since="yesterday").status == 400
    assert Reader(server.port, article.pk + 1000).status == 404
    draft = make_article(state="draft")
    assert Reader(server.port, draft.pk).status == 404


def test_with_redis_down_the_stream_answers_at_once_and_the_page_polls(transactional_db, settings):
    live_settings(settings, redis_url="redis://127.0.0.1:1/0")
    running = ServerThread()
    try:
        article = make_article()
        started = time.monotonic()
        reader = Reader(running.port, article.pk)
        assert reader.status == 503
        assert reader.headers["Retry-After"] == str(settings.COMMENTS_POLL_SECONDS)
        assert time.monotonic() - started < stream.SUBSCRIBE_WAIT + 1
        # The page itself, from the same server, still works.
        import http.client

        conn = http.client.HTTPConnection("127.0.0.1", running.port, timeout=10)
        conn.request("GET", article.get_absolute_url(), headers={"Host": "127.0.0.1"})
        assert conn.getresponse().status == 200
    finally:
        running.stop()


def _minutes(n):
    from datetime import timedelta

    return timedelta(minutes=n)


def _wait(reader, count):
    reader.wait_for(count)
    return reader.events
