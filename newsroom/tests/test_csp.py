"""The Content Security Policy: enforced on every page, with a per-request nonce for inline code."""

import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.template import engines
from django.urls import path

from articles.tests.factories import make_article, make_photo

from .conftest import production_settings


def inline_code(request):
    template = engines["django"].from_string(
        "<!doctype html><title>t</title>"
        '<script {% csp_nonce_attr %}>document.title = "ok";</script>'
        "<style {% csp_nonce_attr %}>p { margin: 0 }</style>"
    )
    return HttpResponse(template.render(request=request))


urlpatterns = [path("inline/", inline_code)]


def policy(response):
    """{directive: [sources]} of the enforced policy."""
    header = response.headers["Content-Security-Policy"]
    return {name: sources for name, *sources in (part.split() for part in header.split(";") if part.strip())}


def header_nonce(response):
    nonces = {re.fullmatch(r"'nonce-(.+)'", source) for source in policy(response)["script-src"]} - {None}
    return nonces.pop().group(1) if nonces else None


class Markup(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inline = []  # (tag, attributes) of inline <script> and <style>
        self.styled = []  # tags with a style="" attribute

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        executable = attrs.get("type", "text/javascript") in {"text/javascript", "module", ""}
        if (tag == "script" and executable and not attrs.get("src")) or tag == "style":
            self.inline.append((tag, attrs))
        if "style" in attrs:
            self.styled.append((tag, attrs))


def markup(response):
    parser = Markup()
    parser.feed(response.content.decode())
    return parser


def test_policy_is_enforced_in_tests_and_development(client, db):
    response = client.get("/")

    assert "Content-Security-Policy-Report-Only" not in response
    assert policy(response) == {
        "default-src": ["'self'"],
        "script-src": ["'self'"],  # + the nonce, on pages that use it
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }


@pytest.mark.urls(__name__)
def test_inline_script_and_style_carry_the_requests_nonce(client):
    first, second = client.get("/inline/"), client.get("/inline/")

    nonce = header_nonce(first)
    assert nonce and len(nonce) >= 16
    assert f"'nonce-{nonce}'" in policy(first)["style-src"]
    assert [attrs["nonce"] for _tag, attrs in markup(first).inline] == [nonce, nonce]
    assert header_nonce(second) != nonce  # a fresh one for every response


@pytest.fixture
def editor(client, db):
    user = User.objects.create_superuser("chief", "chief@example.com", "correct-horse")
    client.force_login(user)
    return user


@pytest.fixture
def story(db):
    return make_article("Harbour reopens after the storm", main_photo=make_photo())


PAGES = [
    "/",
    "/accounts/login/?next=/admin/",  # where the admin's login page sends
    "/accounts/2fa/",
    "/admin/",
    "/admin/articles/article/",
    "/admin/articles/article/add/",
    "/admin/articles/photo/",
    "/admin/articles/section/add/?_to_field=id&_popup=1",
]


@pytest.mark.parametrize("url", [*PAGES, "story", "story change form"])
def test_pages_have_no_inline_code_without_the_nonce_and_no_style_attributes(client, editor, story, url):
    url = {
        "story": story.get_absolute_url(),
        "story change form": f"/admin/articles/article/{story.pk}/change/",
    }.get(url, url)

    if url.startswith("/accounts/login/"):
        client.logout()

    response = client.get(url)

    assert response.status_code == 200
    page = markup(response)
    nonce = header_nonce(response)
    for tag, attrs in page.inline:
        assert nonce and attrs.get("nonce") == nonce, f"<{tag}> without the request's nonce on {url}"
    assert not page.styled, f"style attributes, refused by the policy, on {url}: {page.styled}"


def test_absolute_media_url_is_allowed_for_images(monkeypatch):
    values = production_settings(monkeypatch, MEDIA_URL="https://media.example.com/uploads/")

    assert values["SECURE_CSP"]["img-src"] == ["'self'", "data:", "https://media.example.com"]


def test_production_upgrades_insecure_requests_only_when_https_only(monkeypatch):
    assert production_settings(monkeypatch)["SECURE_CSP"]["upgrade-insecure-requests"] is True
    local = production_settings(monkeypatch, SECURE_SSL_REDIRECT="false")
    assert local["SECURE_CSP"]["upgrade-insecure-requests"] is False


def test_social_sign_in_may_post_on_to_its_provider(monkeypatch):
    values = production_settings(monkeypatch, FACEBOOK_CLIENT_ID="1", FACEBOOK_SECRET="s")

    assert values["SECURE_CSP"]["form-action"] == ["'self'", "https://www.facebook.com"]
