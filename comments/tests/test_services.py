from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from comments.models import Ban, BannedWord, Comment, CommentReport
from comments.moderation import moderator
from comments.services import CommentRefused, moderate, post_comment, report_comment

from .helpers import make_article, make_comments, make_reader

pytestmark = pytest.mark.django_db


def post(article, body="A fair point.", **kwargs):
    kwargs.setdefault("name", "Guest")
    kwargs.setdefault("email", "guest@example.com")
    kwargs.setdefault("ip_address", "198.51.100.7")
    return post_comment(article=article, body=body, **kwargs)


def count_of(article):
    return Article.objects.get(pk=article.pk).comment_count


def test_post_moderation_is_the_default_publishes_at_once_and_counts():
    article = make_article()
    comment = post(article)
    assert comment.status == Comment.Status.PUBLISHED
    assert comment.published_at is not None
    assert comment.hold_reason == ""
    assert count_of(article) == 1


def test_site_premoderation_holds_every_comment(settings):
    settings.COMMENTS_PREMODERATION = True
    article = make_article()
    comment = post(article)
    assert comment.status == Comment.Status.PENDING
    assert comment.hold_reason == Comment.HoldReason.PREMODERATION
    assert comment.published_at is None
    assert count_of(article) == 0


def test_premoderation_for_one_article_only():
    held = make_article(comments_premoderated=True)
    open_story = make_article()
    assert post(held).status == Comment.Status.PENDING
    assert post(open_story).status == Comment.Status.PUBLISHED


def test_more_links_than_allowed_are_held(settings):
    article = make_article()
    two = post(article, "https://a.example https://b.example", email="a@example.com")
    three = post(article, "https://a.example https://b.example www.c.example", email="b@example.com")
    assert two.status == Comment.Status.PUBLISHED
    assert three.status == Comment.Status.PENDING
    assert three.hold_reason == Comment.HoldReason.LINKS


def test_banned_words_hold_the_comment_whole_words_any_case():
    BannedWord.objects.create(word="Scoundrel")
    BannedWord.objects.create(word="idiot*")
    article = make_article()
    assert post(article, "What a SCOUNDREL.", email="a@example.com").hold_reason == "banned_word"
    assert post(article, "Idiotic policy.", email="b@example.com").hold_reason == "banned_word"
    # Part of a longer word does not count unless the entry ends with *.
    assert post(article, "Scoundrels-in-chief aside", email="c@example.com").status == "published"


def test_guest_whose_comments_were_rejected_is_held():
    article = make_article()
    first = post(article, "Rude.", email="Troll@Example.com")
    moderate(Comment.objects.filter(pk=first.pk), Comment.Status.REJECTED)
    again = post(article, "Rude again.", email="troll@example.com")
    assert again.status == Comment.Status.PENDING
    assert again.hold_reason == Comment.HoldReason.REJECTED_BEFORE
    assert post(article, "Polite.", email="someone@example.com").status == Comment.Status.PUBLISHED


@pytest.mark.parametrize("kind", ["email", "ip", "user"])
def test_banned_authors_are_refused_with_403(kind):
    article = make_article()
    reader = make_reader()
    if kind == "user":
        Ban.objects.create(kind=kind, user=reader)
        kwargs = {"user": reader}
    else:
        Ban.objects.create(kind=kind, value="guest@example.com" if kind == "email" else "198.51.100.7")
        kwargs = {}
    with pytest.raises(CommentRefused) as refusal:
        post(article, **kwargs)
    assert refusal.value.status == 403
    assert Comment.objects.count() == 0


def test_same_comment_twice_makes_one_comment():
    article = make_article()
    first = post(article, "Same words.")
    second = post(article, "Same words.")
    assert second.pk == first.pk and second.duplicate
    assert Comment.objects.count() == 1
    assert count_of(article) == 1
    # Another reader may say the same thing.
    post(article, "Same words.", email="other@example.com")
    assert Comment.objects.count() == 2


def test_same_text_after_the_duplicate_window_is_a_new_comment(settings):
    article = make_article()
    first = post(article, "Again.")
    Comment.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(hours=1))
    assert post(article, "Again.").pk != first.pk


def test_closed_and_unpublished_stories_refuse():
    closed = make_article(allow_comments=False)
    expired = make_article(published_at=timezone.now() - timedelta(days=30))
    ended = make_article(comments_close_at=timezone.now() - timedelta(minutes=1))
    draft = make_article(state="draft")
    for article in (closed, expired, ended):
        with pytest.raises(CommentRefused) as refusal:
            post(article)
        assert refusal.value.code == "closed"
    with pytest.raises(CommentRefused) as refusal:
        post(draft)
    assert refusal.value.status == 404


def test_comments_close_after_the_configured_days(settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 3
    assert moderator.allow(make_article(published_at=timezone.now() - timedelta(days=2)))
    assert not moderator.allow(make_article(published_at=timezone.now() - timedelta(days=4)))
    # A per-story date wins over the site rule, either way.
    assert moderator.allow(
        make_article(
            published_at=timezone.now() - timedelta(days=4),
            comments_close_at=timezone.now() + timedelta(days=1),
        )
    )
    settings.COMMENTS_CLOSE_AFTER_DAYS = 0
    assert moderator.allow(make_article(published_at=timezone.now() - timedelta(days=400)))


def test_premoderation_is_a_story_setting_or_the_sites(settings):
    settings.COMMENTS_PREMODERATION = False
    assert not moderator.premoderated(make_article())
    assert moderator.premoderated(make_article(comments_premoderated=True))
    settings.COMMENTS_PREMODERATION = True
    assert moderator.premoderated(make_article())


def test_account_comment_takes_the_display_name_and_no_email():
    reader = make_reader("Maria K.")
    comment = post(make_article(), user=reader, name="ignored", email="ignored@example.com")
    assert comment.user == reader
    assert comment.name == "Maria K."
    assert comment.email == ""
    assert comment.author_name == "Maria K."


def test_moderation_keeps_the_count_right_and_sets_published_at_once():
    article = make_article(comments_premoderated=True)
    comment = post(article)
    assert moderate(Comment.objects.filter(pk=comment.pk), Comment.Status.PUBLISHED) == 1
    comment.refresh_from_db()
    first_published = comment.published_at
    assert first_published is not None and count_of(article) == 1
    assert moderate(Comment.objects.filter(pk=comment.pk), Comment.Status.PUBLISHED) == 0
    moderate(Comment.objects.filter(pk=comment.pk), Comment.Status.REMOVED)
    assert count_of(article) == 0
    moderate(Comment.objects.filter(pk=comment.pk), Comment.Status.PUBLISHED)
    comment.refresh_from_db()
    assert comment.published_at == first_published and count_of(article) == 1


def test_reports_once_per_reader_hide_at_threshold(settings):
    settings.COMMENTS_REPORT_THRESHOLD = 2
    article = make_article()
    [comment] = make_comments(article, 1)
    assert report_comment(comment, reporter="ip:a")
    assert not report_comment(comment, reporter="ip:a")
    comment.refresh_from_db()
    assert comment.report_count == 1 and comment.is_published
    assert report_comment(comment, reporter="ip:b")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert comment.hold_reason == Comment.HoldReason.REPORTS
    assert count_of(article) == 0


def test_approving_a_reported_comment_closes_its_reports():
    article = make_article()
    [comment] = make_comments(article, 1)
    for reporter in ("ip:a", "ip:b", "ip:c"):
        report_comment(comment, reporter=reporter)
    moderate(Comment.objects.filter(pk=comment.pk), Comment.Status.PUBLISHED)
    comment.refresh_from_db()
    assert comment.is_published and comment.report_count == 0 and comment.hold_reason == ""
    assert not CommentReport.objects.filter(reviewed=False).exists()
    assert count_of(article) == 1
    # The same readers cannot hide it again; a new one is counted afresh.
    assert not report_comment(comment, reporter="ip:a")
    assert report_comment(comment, reporter="ip:d")
    comment.refresh_from_db()
    assert comment.is_published and comment.report_count == 1
