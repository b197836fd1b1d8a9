"""Small helpers for the comments tests: forms as a browser sends them, comments as they are stored."""

import itertools
import time
from datetime import timedelta

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from accounts.models import Profile
from articles.tests.factories import make_article, make_section  # noqa: F401 - re-exported
from comments import entries
from comments.forms import make_token
from comments.models import Comment
from comments.services import refresh_comment_counts
from core.markup import render_plain_text

_sequence = itertools.count(1)


def token(article, age=10):
    """The form's signed timestamp, as if the page had been loaded `age` seconds ago."""
    return make_token(article.pk, time.time() - age)


def guest_data(article, **overrides):
    n = next(_sequence)
    data = {
        "name": f"Guest {n}",
        "email": f"guest{n}@example.com",
        "body": f"A considered view, number {n}.",
        "website": "",
        "token": token(article),
    }
    data.update(overrides)
    return data


def post_url(article):
    return reverse("comments:post", args=[article.pk])


def make_reader(display_name="Reader", email=None, **kwargs):
    n = next(_sequence)
    user = User.objects.create_user(
        f"reader{n}", email or f"reader{n}@example.com", "correct-horse", **kwargs
    )
    Profile.objects.filter(user=user).update(display_name=display_name)
    return User.objects.get(pk=user.pk)


def make_comments(article, count, *, status=Comment.Status.PUBLISHED, user=None, start=None, **kwargs):
    """`count` comments a minute apart, stored directly (no form), and the story's count refreshed."""
    start = start or timezone.now() - timedelta(minutes=count + 5)
    comments = []
    for i in range(count):
        n = next(_sequence)
        moment = start + timedelta(minutes=i)
        comment = Comment(
            article=article,
            user=user,
            name=kwargs.get("name", f"Commenter {n}"),
            email=kwargs.get("email", f"c{n}@example.com" if user is None else ""),
            body=kwargs.get("body", f"Comment body {n}."),
            status=status,
            created_at=moment,
            published_at=moment if status == Comment.Status.PUBLISHED else None,
            ip_address="192.0.2.10",
        )
        comment.body_html = render_plain_text(comment.body)
        comments.append(comment)
    comments = Comment.objects.bulk_create(comments)
    entries.store(list(Comment.objects.filter(pk__in=[c.pk for c in comments]).for_display()))
    refresh_comment_counts([article.pk])
    article.refresh_from_db()
    return comments


def make_reply(parent, *, user=None, name="", body=None, **kwargs):
    """A reply to `parent`, taken as a posted one is (services.post_comment)."""
    from comments.services import post_comment

    n = next(_sequence)
    reply = post_comment(
        article=parent.article,
        body=body or f"A reply, number {n}.",
        user=user,
        name=name or f"Replier {n}",
        email=kwargs.pop("email", "" if user else f"r{n}@example.com"),
        parent_id=parent.pk,
        **kwargs,
    )
    parent.article.refresh_from_db()
    return reply
