"""audit.record(): who, from where and what, whichever way the caller names them."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group, User

import audit
from audit.models import Entry
from audit.services import current_request

pytestmark = pytest.mark.django_db


def test_a_request_gives_the_user_and_the_address_behind_our_proxy(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    chief = User.objects.create_user("chief")
    request = rf.post("/admin/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    request.user = chief
    group = Group.objects.create(name="Night desk")

    entry = audit.record(request, Entry.Action.PERMISSIONS, group, "x" * 600)

    assert (entry.user, entry.username, entry.ip_address) == (chief, "chief", "203.0.113.9")
    assert (entry.object_repr, entry.object_id, entry.content_type.model) == (
        "Night desk",
        str(group.pk),
        "group",
    )
    assert len(entry.detail) == 500


def test_a_user_alone_has_no_address_unless_a_request_is_being_answered(rf):
    chief = User.objects.create_user("chief")

    assert audit.record(chief, Entry.Action.PUBLISH).ip_address is None

    request = rf.get("/", REMOTE_ADDR="192.0.2.4")
    request.user = AnonymousUser()
    token = current_request.set(request)
    try:
        entry = audit.record(chief, Entry.Action.PUBLISH)
        nobody = audit.record(None, Entry.Action.SIGN_IN_FAILED, username="guess")
    finally:
        current_request.reset(token)
    assert (entry.user, entry.ip_address) == (chief, "192.0.2.4")
    assert (nobody.user, nobody.username, nobody.ip_address) == (None, "guess", "192.0.2.4")


def test_outside_a_request_the_system_did_it():
    entry = audit.record(None, Entry.Action.DELETE, detail="cleanup")

    assert entry.user is None and entry.ip_address is None
    assert str(entry) == "system: Deleted"
