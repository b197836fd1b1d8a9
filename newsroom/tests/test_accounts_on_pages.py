"""Readers' accounts on the story pages: signing in and out, and anonymous readers left alone."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains

from accounts.tests.test_accounts import PASSWORD, make_account
from articles.tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_login_and_logout_return_to_the_story(client):
    make_account()
    article = make_article()
    response = client.post(
        reverse("account_login") + f"?next={article.get_absolute_url()}",
        {"login": "reader@example.com", "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == article.get_absolute_url()
    page = client.get(article.get_absolute_url())
    assertContains(page, "Rita Reader")
    assertContains(page, "Log out")
    response = client.post(reverse("account_logout"), {"next": article.get_absolute_url()})
    assert response["Location"] == article.get_absolute_url()
    assertContains(client.get(article.get_absolute_url()), "Log in")


def test_anonymous_pages_do_not_touch_sessions_or_users(client):
    article = make_article()
    client.get(article.get_absolute_url())
    for url in ("/", article.get_absolute_url()):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assertContains(response, "Log in")
        sql = " ".join(query["sql"] for query in captured)
        assert "django_session" not in sql and "auth_user" not in sql
