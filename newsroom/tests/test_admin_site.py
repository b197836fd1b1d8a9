"""The admin's index: the site's name once in the header, the desk first, readers' accounts last."""

import re

import pytest
from django.contrib.auth.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def index(client):
    client.force_login(User.objects.create_superuser("chief", "chief@example.com", "x"))
    return client.get("/admin/")


def test_the_header_names_the_site_once(index, settings):
    (header,) = re.findall(r'<div id="site-name"><a href="/admin/">(.*?)</a></div>', index.text)

    assert header == settings.SITE_NAME == "Newsroom"
    assert "Newsroom newsroom" not in index.text


def test_the_desk_comes_first_and_readers_accounts_last(index):
    apps = index.context["app_list"]
    names = [str(app["name"]) for app in apps]

    assert names[:5] == ["Articles", "Comments", "Taggit", "Audit log", "Pages"]
    assert names[-1] == "Readers and accounts"
    readers = {model["object_name"] for model in apps[-1]["models"]}
    assert {"Profile", "EmailAddress", "SocialAccount", "Authenticator"} <= readers
    for app in apps[:-1]:
        assert app["app_label"] not in {"accounts", "account", "socialaccount", "mfa"}
    assert "Authentication and Authorization" in names  # staff users and groups stay on their own
    assert index.text.index("Readers and accounts") > index.text.index("Audit log")


def test_an_apps_own_index_is_left_as_it_is(client, index):
    response = client.get("/admin/account/")

    assert response.status_code == 200
    assert [app["app_label"] for app in response.context["app_list"]] == ["account"]


def test_an_editor_sees_the_desk_but_not_the_readers_group(client):
    from articles.tests.factories import make_user

    client.force_login(make_user("editor"))
    names = [str(app["name"]) for app in client.get("/admin/").context["app_list"]]

    assert names == ["Articles", "Comments", "Taggit", "Audit log", "Pages"]
