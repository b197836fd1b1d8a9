import pytest

from articles.models import Article
from articles.tests.factories import make_article
from comments.models import Comment
from demo.comments import BUSY_THREAD_SIZE, seed_demo_comments

pytestmark = pytest.mark.django_db


def test_demo_comments_make_a_busy_thread_long_comments_and_accounts():
    stories = [make_article() for _ in range(6)]
    made = seed_demo_comments()
    assert made > BUSY_THREAD_SIZE
    busiest = max(Article.objects.all(), key=lambda a: a.comment_count)
    assert busiest.comment_count == BUSY_THREAD_SIZE
    for article in Article.objects.all():
        assert article.comment_count == article.comments.filter(status="published").count()
    assert Comment.objects.filter(body__contains="\n\n").exists()
    accounts = Comment.objects.exclude(user=None)
    assert accounts.exists()
    assert not any(c.user.has_usable_password() for c in accounts)
    assert Comment.objects.filter(status="pending").exists()
    assert seed_demo_comments() == 0  # idempotent
    assert len(stories) == 6
