"""Small helpers that make real rows (and real JPEGs) for the tests."""

import itertools
from datetime import timedelta

from django.contrib.auth.models import Group, User
from django.utils import timezone
from django.utils.text import slugify

from articles.models import Article, Author, Photo, Section
from core.tests.images import image_bytes, uploaded_file  # noqa: F401 - re-exported

_sequence = itertools.count(1)

GROUPS = {"editor": "Editors", "reporter": "Reporters"}


def jpeg_bytes(width=160, height=90, *, noisy=False):
    return image_bytes(width, height, "JPEG", noisy=noisy)


def jpeg_upload(name="photo.jpg", **kwargs):
    return uploaded_file(jpeg_bytes(**kwargs), name)


def make_section(name=None, **kwargs):
    name = name or f"Section {next(_sequence)}"
    kwargs.setdefault("slug", slugify(name))
    return Section.objects.create(name=name, **kwargs)


def make_author(name=None, **kwargs):
    name = name or f"Author {next(_sequence)}"
    kwargs.setdefault("slug", slugify(name))
    return Author.objects.create(name=name, **kwargs)


def make_photo(**kwargs):
    n = next(_sequence)
    kwargs.setdefault("alt_text", f"Alt text {n}")
    kwargs.setdefault("caption", f"Caption {n}")
    kwargs.setdefault("credit", f"Credit {n}")
    kwargs.setdefault("image", jpeg_upload())
    return Photo.objects.create(**kwargs)


def make_article(headline=None, *, state="published", section=None, authors=(), tags=(), **kwargs):
    """A story that is "published" (an hour ago), a "draft", "review" (ready for review),
    "scheduled" (an hour ahead) or "expired" (published two hours ago, unpublished an hour ago)."""
    if state not in {"published", "draft", "review", "scheduled", "expired"}:
        raise ValueError(f"Unknown state {state!r}")
    now = timezone.now()
    if state in {"draft", "review"}:
        kwargs.setdefault("status", Article.Status(state))
    else:
        kwargs.setdefault("status", Article.Status.PUBLISHED)
        hours = {"scheduled": 1, "expired": -2}.get(state, -1)
        kwargs.setdefault("published_at", now + timedelta(hours=hours))
        if state == "expired":
            kwargs.setdefault("unpublish_at", now - timedelta(hours=1))
    n = next(_sequence)
    article = Article(
        headline=headline or f"Story number {n}",
        section=section or make_section(),
        lead=kwargs.pop("lead", f"Lead of story {n}."),
        body=kwargs.pop("body", f"First paragraph of story {n}.\n\nSecond paragraph."),
        **kwargs,
    )
    article.relations_for_next_version(authors, tags)
    article.save(force_insert=True)
    if authors:
        article.authors.set(authors)
    if tags:
        article.tags.add(*tags)
    return article


def make_user(role="editor", username=None, **kwargs):
    """An "editor" or "reporter" (staff, in the group migration 0002 made) or a plain "reader"."""
    if role not in {"editor", "reporter", "reader"}:
        raise ValueError(f"Unknown role {role!r}")
    username = username or f"{role}{next(_sequence)}"
    kwargs.setdefault("is_staff", role != "reader")
    user = User.objects.create_user(username, password="correct-horse", **kwargs)
    if role in GROUPS:
        user.groups.add(Group.objects.get(name=GROUPS[role]))
    return user
