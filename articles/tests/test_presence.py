"""Presence in the admin: who else has a story open (articles/presence.py and its endpoint)."""

import json
import subprocess
import sys
import time
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.contrib.sessions.backends.cached_db import SessionStore
from django.test import Client

from articles import presence
from core.cache import ResilientRedisCache

from .factories import make_article, make_user

pytestmark = pytest.mark.django_db


def url(story_id):
    return f"/admin/articles/article/{story_id}/presence/"


def signed_in(user, **kwargs):
    client = Client(**kwargs)
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def _fresh_cache(clean_cache):
    """Presence lives in the default cache, which clean_cache empties before and after."""


@pytest.fixture
def story():
    return make_article("Talks resume in Geneva")


@pytest.fixture
def anna():
    return make_user("editor", username="anna", first_name="Anna", last_name="Petrova")


@pytest.fixture
def boris():
    return make_user("editor", username="boris")


def beat(client, story_id, **data):
    response = client.post(url(story_id), data)
    assert response["Content-Type"] == "application/json"
    return response


def test_an_editor_sees_who_else_has_the_story_open_in_the_site_time_zone(story, anna, boris):
    assert beat(signed_in(anna), story.pk).json()["editors"] == []  # alone

    data = beat(signed_in(boris), story.pk).json()

    assert data["heartbeat_seconds"] == django_settings.PRESENCE_HEARTBEAT_SECONDS
    [editor] = data["editors"]
    assert editor["name"] == "Anna Petrova"
    since = datetime.fromisoformat(editor["since"])
    assert since.utcoffset() == datetime.now(ZoneInfo(django_settings.TIME_ZONE)).utcoffset()
    assert editor["since_time"] == since.strftime("%H:%M")
    assert editor["text"] == f"Anna Petrova is editing this story (since {editor['since_time']})"


def test_an_editor_never_sees_themselves_and_keeps_their_since_time(story, anna, boris):
    anna_client = signed_in(anna)
    beat(anna_client, story.pk)
    first = beat(signed_in(boris), story.pk).json()["editors"][0]["since"]
    assert beat(anna_client, story.pk).json()["editors"][0]["name"] == "boris"  # username: no full name

    beat(anna_client, story.pk)

    assert beat(signed_in(boris), story.pk).json()["editors"][0]["since"] == first


def test_editors_are_listed_longest_there_first_and_only_on_their_story(story, anna, boris):
    other_story = make_article()
    beat(signed_in(anna), story.pk)
    beat(signed_in(boris), story.pk)
    beat(signed_in(boris), other_story.pk)

    names = [editor["name"] for editor in beat(signed_in(make_user("editor")), story.pk).json()["editors"]]

    assert names == ["Anna Petrova", "boris"]
    assert presence.heartbeat(other_story.pk, anna)[0]["name"] == "boris"


def test_leaving_clears_at_once_and_a_quick_return_keeps_the_since_time(story, anna, boris):
    anna_client, boris_client = signed_in(anna), signed_in(boris)
    beat(anna_client, story.pk)
    since = beat(boris_client, story.pk).json()["editors"][0]["since"]

    assert beat(anna_client, story.pk, leave="1").json() == {"editors": []}

    assert beat(boris_client, story.pk).json()["editors"] == []
    beat(anna_client, story.pk)  # a reload: the page left and came back
    assert beat(boris_client, story.pk).json()["editors"][0]["since"] == since


def test_an_editor_whose_heartbeats_stop_is_gone_after_three_periods(story, anna, boris, monkeypatch):
    beat(signed_in(anna), story.pk)
    boris_client = signed_in(boris)
    assert len(beat(boris_client, story.pk).json()["editors"]) == 1
    later = time.time() + presence.expiry_seconds() + 1
    monkeypatch.setattr(time, "time", lambda: later)  # the cache's clock: anna closed her laptop

    assert beat(boris_client, story.pk).json()["editors"] == []


def test_a_signed_out_heartbeat_gets_401_json_not_the_login_page(story, anna):
    response = Client().post(url(story.pk))

    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"] == "signed_out"
    assert "sign in again" in response.json()["message"]


def test_a_heartbeat_from_a_session_deleted_on_the_server_gets_401_json(story, anna):
    client = signed_in(anna)
    assert beat(client, story.pk).status_code == 200

    SessionStore(session_key=client.session.session_key).delete()

    response = beat(client, story.pk)
    assert response.status_code == 401
    assert response.json()["error"] == "signed_out"


def test_a_deactivated_editor_gets_401(story, anna):
    client = signed_in(anna)
    User.objects.filter(pk=anna.pk).update(is_active=False)

    assert beat(client, story.pk).status_code == 401


@pytest.mark.parametrize("story_id", ["999999", "abc", "1%20OR%201=1", "99999999999999999999999999"])
def test_a_forged_or_unknown_story_id_gets_404_json(story, anna, story_id):
    response = beat(signed_in(anna), story_id)

    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_a_reporter_is_present_only_on_stories_they_can_see(anna):
    reporter = make_user("reporter")
    own = make_article(state="draft", created_by=reporter)
    someone_elses = make_article(state="draft", created_by=anna)
    client = signed_in(reporter)

    assert beat(client, own.pk).status_code == 200
    # Not "forbidden": a reporter does not learn that the story exists.
    assert beat(client, someone_elses.pk).status_code == 404
    assert beat(signed_in(anna), someone_elses.pk).json()["editors"] == []


def test_staff_without_permission_on_stories_is_refused(story):
    clerk = make_user("reader", is_staff=True)

    response = beat(signed_in(clerk), story.pk)

    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"


def test_other_methods_get_405_json_and_get_returns_a_fresh_csrf_token(story, anna):
    client = signed_in(anna)

    assert client.put(url(story.pk)).status_code == 405
    token = client.get(url(story.pk)).json()["token"]

    assert len(token) == 64
    assert Client().get(url(story.pk)).status_code == 401


def test_heartbeat_and_leave_need_the_csrf_token(story, anna):
    client = signed_in(anna, enforce_csrf_checks=True)
    token = client.get(url(story.pk)).json()["token"]

    assert client.post(url(story.pk)).status_code == 403
    assert client.post(url(story.pk), HTTP_X_CSRFTOKEN=token).status_code == 200
    # navigator.sendBeacon cannot set headers: the leave call sends the token as a form field.
    assert client.post(url(story.pk), {"leave": "1", "csrfmiddlewaretoken": token}).status_code == 200


def test_the_story_form_loads_the_presence_and_autosave_scripts(story, anna):
    response = signed_in(anna).get(f"/admin/articles/article/{story.pk}/change/")

    assert response.status_code == 200
    for script in ("newsroom-presence.js", "newsroom-autosave.js"):
        assert f"/static/admin/{script}" in response.text


SUBPROCESS_HEARTBEAT = """
import json, sys, django
from django.conf import settings
django.setup()
settings.CACHES["default"]["KEY_PREFIX"] = sys.argv[1]
from django.contrib.auth.models import User
from articles import presence
from core.cache import ResilientRedisCache
presence.heartbeat(int(sys.argv[2]), User(pk=424242, username="elsewhere", first_name="Vera"))
"""


def test_presence_is_shared_between_processes_through_redis(story, anna, monkeypatch):
    """Two web workers: one process's heartbeat is seen by another through Redis."""
    redis_url = "redis://127.0.0.1:6379/0"
    prefix = f"test-presence-{uuid.uuid4().hex}"
    # A cache of its own, not settings.CACHES: fixtures clear() the default cache, and on Redis
    # that would empty the whole shared database.
    redis_cache = ResilientRedisCache(redis_url, {"KEY_PREFIX": prefix})
    monkeypatch.setattr(presence, "cache", redis_cache)
    keys = [presence._index_key(story.pk), *(presence._user_key(story.pk, pk) for pk in (anna.pk, 424242))]
    try:
        redis_cache.set("probe", 1)
        if redis_cache.get("probe") != 1:
            pytest.skip("no Redis at 127.0.0.1:6379")
        environment = {"REDIS_URL": redis_url, "DJANGO_SETTINGS_MODULE": "newsroom.settings"}
        subprocess.run(  # noqa: S603 - our own interpreter and code
            [sys.executable, "-c", SUBPROCESS_HEARTBEAT, prefix, str(story.pk)],
            env=environment,
            cwd=django_settings.BASE_DIR,
            check=True,
            timeout=60,
        )

        editors = presence.as_json(presence.heartbeat(story.pk, anna))["editors"]

        assert [editor["name"] for editor in editors] == ["Vera"]
        assert json.dumps(editors)  # what the endpoint sends
    finally:
        redis_cache.delete_many([*keys, "probe"])
