"""Many readers posting at once, on PostgreSQL (SQLite serialises every write anyway)."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client

from articles.models import Article
from comments.models import Comment

from .helpers import guest_data, make_article, post_url

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL for real concurrency"
)

POSTERS = 20
COMMENTS_EACH = 25


def run_in_threads(count, target):
    barrier = threading.Barrier(count)
    errors = []

    def run(n):
        try:
            barrier.wait()
            target(n)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(repr(error))
        finally:
            connections.close_all()  # each thread had its own connection

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not errors, errors[:5]


def test_twenty_parallel_posters_make_exactly_500_comments(transactional_db, settings):
    settings.COMMENTS_RATE_LIMIT = "1000/60"
    article = make_article()

    def poster(n):
        client = Client(REMOTE_ADDR=f"198.51.100.{n + 1}")
        for i in range(COMMENTS_EACH):
            data = guest_data(article, name=f"Poster {n}", email=f"poster{n}@example.com", body=f"{n}-{i}")
            response = client.post(post_url(article), data)
            assert response.status_code == 302, response.status_code

    run_in_threads(POSTERS, poster)
    assert Comment.objects.count() == POSTERS * COMMENTS_EACH == 500
    assert Comment.objects.values("body").distinct().count() == 500
    assert Article.objects.get(pk=article.pk).comment_count == 500


def test_the_same_comment_sent_at_once_from_ten_tabs_is_one_comment(transactional_db, settings):
    settings.COMMENTS_RATE_LIMIT = "1000/60"
    article = make_article()
    data = guest_data(article, body="Sent twice by an impatient finger")

    def poster(n):
        response = Client().post(post_url(article), data)
        assert response.status_code == 302

    run_in_threads(10, poster)
    assert Comment.objects.count() == 1
    assert Article.objects.get(pk=article.pk).comment_count == 1
