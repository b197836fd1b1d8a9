"""The bad-input corpus (corpus.py) against the real views: never a 5xx, refusals say why."""

import io
import re
import time

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client
from django.utils.html import escape
from PIL import Image

from articles.models import Photo, StoryViews
from articles.tests.factories import make_article, make_section, make_user, uploaded_file
from articles.tests.test_admin import form_post_data, media_files, photo_fields
from articles.tests.test_uploads import png_header_only
from comments.forms import make_token
from comments.models import Comment
from comments.tests.helpers import guest_data, make_comments, post_url

from . import corpus

pytestmark = pytest.mark.django_db

HELD_TEXT = "HELD-COMMENT-NEVER-SHOWN"
SECRET_EMAIL = "never.shown@example.com"
PHOTOS_ADD = "/admin/articles/photo/add/"
SIGNIN_PASSWORD = "correct-horse"


@pytest.fixture(autouse=True)
def _fresh_limits(settings):
    settings.COMMENTS_RATE_LIMIT = "5/60"
    settings.COMMENTS_MIN_SECONDS = 3
    settings.COMMENTS_MAX_AGE_SECONDS = 7200
    settings.COMMENTS_PREMODERATION = False
    settings.TRUSTED_PROXY_COUNT = 0
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def site():
    world = make_section("World", slug="world")
    story = make_article("Talks resume in Geneva", section=world, tags=["diplomacy"])
    draft = make_article("Embargoed", section=world, state="draft")
    make_comments(story, 1, email=SECRET_EMAIL)
    make_comments(story, 1, status=Comment.Status.PENDING, body=HELD_TEXT)
    return {"story": story, "draft": draft, "other": make_article(section=world)}


def cases(group):
    return {"argvalues": [case[1:] for case in group], "ids": [case[0] for case in group]}


def assert_readable_refusal(response, status, message):
    assert response.status_code == status, response.content[:500]
    # Django's 405 for a GET to a form's address has no body: no reader gets there by a link.
    assert response.content.strip() or 300 <= status < 400 or status == 405, "an empty answer"
    if message:
        message = str(message)  # a lazy translation, as the form has it
        text = response.content.decode()
        if response.headers.get("Content-Type", "").startswith("application/json"):
            text = response.json().get("error", "")
        assert escape(message) in text or message in text, f"{message!r} not in the answer"


def assert_local_redirect(response):
    if 300 <= response.status_code < 400:
        location = response["Location"]
        assert location.startswith("/") and not location.startswith(("//", "/\\")), location


# Comments


def comment_token(value, site):
    article = site["story"]
    if value == "@tampered":
        token = make_token(article.pk, time.time() - 10)
        return token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    return {
        "@garbage": "not-a-token",
        "@other": make_token(site["other"].pk, time.time() - 10),
        "@fresh": make_token(article.pk, time.time()),
        "@old": make_token(article.pk, time.time() - 3 * 3600),
    }.get(value, value)


@pytest.mark.parametrize(("changes", "status", "message"), **cases(corpus.COMMENT))
def test_comment_form(site, changes, status, message):
    changes = dict(changes)
    article = {"draft": site["draft"], "missing": None}.get(changes.pop("_article", ""), site["story"])
    client = Client(enforce_csrf_checks=not changes.pop("_csrf", True))
    headers = changes.pop("_headers", {})
    repeat = changes.pop("_repeat", 1)
    data = guest_data(site["story"])
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = comment_token(value, site) if name == "token" else value
    url = post_url(article) if article else "/comments/999999999/post/"
    for n in range(repeat):
        sent = {**data, "body": f"{data['body']} ({n})"} if repeat > 1 else data
        extra = {
            key: f"198.51.100.{n + 1}" if value == "@rotate" else value for key, value in headers.items()
        }
        response = client.post(url, sent, **extra)
        assert response.status_code < 500

    assert_readable_refusal(response, status, message)
    assert_local_redirect(response)
    body = data.get("body") or ""
    if status in (400, 429) and body.strip() and "\x00" not in body:
        assert escape(body[:40]) in response.content.decode(), "the typed text was lost"
    if status == 302:
        comment = Comment.objects.filter(article=site["story"]).latest("created_at")
        # Shown as text: no tag or link of the visitor's own survives (escaped text may mention them).
        for dangerous in ("<script", "<img", "<svg", "<iframe", "<style", 'href="javascript', 'href="data:'):
            assert dangerous not in comment.body_html.lower()
        page = Client().get(site["story"].get_absolute_url()).content.decode()
        assert "<script>alert(1)" not in page and "<img src=x" not in page and "<svg onload" not in page


# Uploads


def recipe_bytes(recipe):
    kind, *args = recipe
    if kind == "raw":
        return args[0]
    if kind == "bomb":
        return png_header_only(*args)
    image_format = args[0]
    size = (args[1], args[2]) if kind == "image" else (320, 240)
    image = Image.effect_noise(size, 60).convert("RGB" if image_format != "ICO" else "RGBA")
    buffer = io.BytesIO()
    image.save(buffer, image_format)
    data = buffer.getvalue()
    if kind == "truncated":
        return data[: args[1]]
    if kind == "append":
        return data + args[1]
    return data


@pytest.mark.parametrize(("recipe", "name", "content_type", "status", "message"), **cases(corpus.UPLOAD))
def test_upload(client, settings, recipe, name, content_type, status, message):
    client.force_login(make_user("editor"))
    image = uploaded_file(recipe_bytes(recipe), name, content_type)
    data = form_post_data(client, PHOTOS_ADD, **photo_fields(image, caption="Typed caption"))

    response = client.post(PHOTOS_ADD, data)

    assert_readable_refusal(response, status, message)
    if status == 200:
        assert "Typed caption" in response.content.decode()
        assert "errorlist" in response.content.decode()
        assert not Photo.objects.exists()
        assert media_files(settings) == []
    else:
        photo = Photo.objects.get()
        assert re.fullmatch(r"photos/\d{4}/\d{2}/[0-9a-f]{24}\.(jpg|png|webp|gif)", photo.image.name)
        with photo.image.open("rb") as file:
            stored = file.read()
        assert b"<?php" not in stored and b"<script" not in stored  # re-encoded: trailers are gone


# Reader URLs


def fill(text, site):
    story, draft = site["story"], site["draft"]
    return (
        text.replace("{story}", story.get_absolute_url())
        .replace("{draft_short}", draft.short_code)
        .replace("{draft}", draft.get_absolute_url())
        .replace("{short}", story.short_code)
        .replace("{article_id}", str(story.pk))
        .replace("{comment_id}", str(story.comments.published().first().pk))
    )


@pytest.mark.parametrize(("path", "query", "headers", "statuses", "message"), **cases(corpus.GET))
def test_reader_urls(client, site, path, query, headers, statuses, message):
    response = client.get(fill(path, site), query, **headers)

    assert response.status_code in statuses, response.status_code
    assert response.content.strip() or 300 <= response.status_code < 400 or response.status_code == 405
    assert_local_redirect(response)
    text = response.content.decode(errors="replace")
    assert HELD_TEXT not in text and SECRET_EMAIL not in text
    assert "Embargoed" not in text
    if message:
        assert message in text


# The content API


@pytest.mark.parametrize(("path", "query", "headers", "status", "message"), **cases(corpus.API))
def test_api(client, site, path, query, headers, status, message):
    site["draft"].tags.add("embargo")
    response = client.get(fill(path, site), query, **headers)

    assert response.status_code == status, response.content[:300]
    text = response.content.decode(errors="replace")
    assert "Embargoed" not in text and "embargo" not in text
    if status == 304:
        return
    assert response["Content-Type"].startswith("application/json")
    if status >= 400:
        assert message in response.json()["detail"]


# Form posts with bodies the site cannot read


@pytest.mark.parametrize(
    ("path", "content_type", "body", "cookie", "statuses", "message"), **cases(corpus.POST_BODY)
)
def test_unreadable_form_posts(site, path, content_type, body, cookie, statuses, message):
    # A browser's real checks (enforce_csrf_checks): Django's 400 page read the body again there.
    client = Client(enforce_csrf_checks=True)
    token = "k" * 32
    if cookie:
        client.cookies["csrftoken"] = token
        body = f"csrfmiddlewaretoken={token}&".encode() + body
    response = client.generic("POST", fill(path, site), body, content_type=content_type)

    assert response.status_code in statuses, response.content[:300]
    assert_readable_refusal(response, response.status_code, message)
    assert_local_redirect(response)


# Methods


@pytest.mark.parametrize(("method", "path", "statuses"), **cases(corpus.METHODS))
def test_methods(client, site, method, path, statuses):
    path, _, query = fill(path, site).partition("?")
    response = client.generic(method, path, QUERY_STRING=query)

    assert response.status_code in statuses, response.status_code
    if method == "HEAD":
        assert response.content == b""  # the test client drops HEAD bodies as servers do
    if response.status_code == 405:
        assert set(response["Allow"].split(", ")) <= {"GET", "HEAD", "POST", "OPTIONS"}
    assert HELD_TEXT not in response.content.decode(errors="replace")


# New comments


@pytest.mark.parametrize(("query", "status", "message"), **cases(corpus.NEW_COMMENTS))
def test_new_comments_endpoint(client, site, query, status, message):
    query = dict(query)
    article = {"draft": site["draft"], "missing": None}.get(query.pop("_article", ""), site["story"])
    query = {key: "0" if value == "{since}" else value for key, value in query.items()}
    url = f"/comments/{article.pk if article else 999999999}/new/"

    response = client.get(url, query)

    assert_readable_refusal(response, status, message)
    text = response.content.decode()
    assert HELD_TEXT not in text and SECRET_EMAIL not in text and "@example.com" not in text
    if status == 200:
        assert response.json()["count"] == 1  # the one published comment, never the held one


# Sign-in


@pytest.mark.parametrize(("changes", "proxies", "status", "message"), **cases(corpus.SIGNIN))
def test_signin(settings, clean_cache, changes, proxies, status, message):
    settings.TRUSTED_PROXY_COUNT = proxies
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    User.objects.create_user("desk", "desk@example.com", SIGNIN_PASSWORD, is_staff=True)
    changes = dict(changes)
    client = Client(enforce_csrf_checks=not changes.pop("_csrf", True))
    headers = changes.pop("_headers", {})
    repeat = changes.pop("_repeat", 1)
    then_right = changes.pop("_then_right", False)
    data = {"login": "desk", "password": "wrong", "next": "/admin/"}
    for name, value in changes.items():
        if value is None:
            data.pop(name)
        else:
            data[name] = SIGNIN_PASSWORD if value == "@right" else value
    attempts = [data] * repeat + ([{**data, "password": SIGNIN_PASSWORD}] if then_right else [])
    for n, sent in enumerate(attempts):
        extra = {
            key: f"198.51.100.{n + 1}" if value == "@rotate" else value for key, value in headers.items()
        }
        response = client.post("/accounts/login/", sent, REMOTE_ADDR="127.0.0.1", **extra)
        assert response.status_code < 500

    assert_readable_refusal(response, status, message)
    assert_local_redirect(response)
    assert ("_auth_user_id" in client.session) == (status == 302)
    login = data.get("login") or ""
    if status in (200, 429) and login and "\x00" not in login:
        assert escape(login[:40]) in response.content.decode(), "the typed name was lost"
    assert "<script>alert(1)" not in response.content.decode()


# The view beacon


@pytest.mark.parametrize(("body", "headers", "status", "counted"), **cases(corpus.BEACON))
def test_view_beacon(site, settings, body, headers, status, counted):
    settings.REDIS_URL = ""  # counted in the database
    settings.MOST_READ_RATE_LIMIT = "30/60"
    headers = {"HTTP_USER_AGENT": corpus._BROWSER_AGENT, "REMOTE_ADDR": "203.0.113.9", **headers}
    content_type = headers.pop("content_type", "application/x-www-form-urlencoded")
    repeat = headers.pop("_repeat", 1)
    body = body.replace("{story}", str(site["story"].pk)).replace("{draft}", str(site["draft"].pk))
    client = Client(enforce_csrf_checks=True)  # as a browser's beacon: no token
    for n in range(repeat):
        sent = {key: f"198.51.100.{n + 1}" if value == "@rotate" else value for key, value in headers.items()}
        response = client.generic("POST", "/beacon/view/", body.encode(), content_type=content_type, **sent)

    assert response.status_code == status
    assert not response.cookies
    if status == 400:
        assert corpus.NOT_A_STORY_ID in response.content.decode()
    if status == 429:
        assert int(response["Retry-After"]) > 0
    assert StoryViews.objects.filter(article=site["story"]).exists() == counted
    assert not StoryViews.objects.exclude(article=site["story"]).exists()


def test_the_corpus_is_big_enough():
    groups = [
        corpus.COMMENT,
        corpus.UPLOAD,
        corpus.GET,
        corpus.NEW_COMMENTS,
        corpus.POST_BODY,
        corpus.METHODS,
        corpus.SIGNIN,
        corpus.API,
        corpus.BEACON,
    ]
    assert sum(map(len, groups)) >= 300
    for cases in groups:
        ids = [case[0] for case in cases]
        assert len(set(ids)) == len(ids)
