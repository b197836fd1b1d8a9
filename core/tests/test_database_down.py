"""With the database out of reach every page answers a branded 503 with Retry-After, never a 500."""

import pytest
from django.db import connection, transaction
from django.db.utils import OperationalError
from django.test import Client

from core.views import database_unreachable

from .database import database_down

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    # The answer the reader gets, not the exception re-raised into the test.
    return Client(raise_request_exception=False)


def assert_branded_503(response, settings):
    assert response.status_code == 503
    assert response["Retry-After"] == str(settings.DATABASE_RETRY_AFTER)
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert 'class="error-page"' in html
    assert settings.SITE_NAME in html
    assert "This page is not available for a moment" in html


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/"),
        ("head", "/"),
        ("get", "/2026/03/25/a-story-nobody-cached/"),
        ("get", "/accounts/login/"),
        ("post", "/comments/1/post/"),
        ("post", "/accounts/login/"),
    ],
)
def test_every_page_answers_503_while_the_database_is_out_of_reach(client, settings, method, path):
    settings.DATABASE_RETRY_AFTER = 7
    with database_down():
        response = getattr(client, method)(path, {"body": "My typed text"} if method == "post" else None)

    assert response.status_code == 503
    assert response["Retry-After"] == "7"
    assert response["Cache-Control"] == "no-store"
    if method != "head":
        assert_branded_503(response, settings)


def test_a_signed_in_editor_gets_503_too(client, settings, django_user_model):
    editor = django_user_model.objects.create_user("ed", password="x", is_staff=True, is_superuser=True)
    client.force_login(editor)  # a session in the database, read on every request
    with database_down():
        assert_branded_503(client.get("/admin/articles/article/"), settings)
    assert client.get("/admin/articles/article/").status_code == 200  # and back once it is


def test_the_503_page_is_in_russian_on_a_russian_site(client, settings):
    settings.LANGUAGE_CODE = "ru"
    with database_down():
        response = client.get("/")
    assert response.status_code == 503
    assert "Страница ненадолго недоступна" in response.content.decode()


def test_a_failed_query_on_a_working_connection_is_not_an_outage():
    # A bug (a missing table) or a cancelled query stays a 500 to be looked at, not "try again".
    if connection.vendor == "sqlite":
        statements = ["SELECT * FROM no_such_table"]
    else:
        statements = ["SET LOCAL statement_timeout = 1", "SELECT pg_sleep(0.5)"]
    with pytest.raises(OperationalError) as failure, transaction.atomic(), connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    assert database_unreachable(failure.value) is False


def test_an_unreachable_database_is_recognised_through_wrapping_errors():
    with database_down():
        with pytest.raises(OperationalError) as failure:
            connection.ensure_connection()
        wrapped = RuntimeError("rendering failed")
        wrapped.__cause__ = failure.value
        assert database_unreachable(failure.value)
        assert database_unreachable(wrapped)
        assert not database_unreachable(RuntimeError("anything else"))
