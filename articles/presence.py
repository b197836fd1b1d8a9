"""Who else has a story open in the admin: "Anna is editing this story (since 14:02)".

Each open change form posts a heartbeat every PRESENCE_HEARTBEAT_SECONDS
(static/admin/newsroom-presence.js) and a last call when the page goes away. An editor counts as
present until three heartbeats are missed. Entries live in the default cache: Redis, shared by every
worker, when REDIS_URL is set. One key per editor and story, so editors never overwrite each other,
and a small index per story of whom to look up. Two editors arriving in the same instant may drop
each other from the index; the next heartbeat puts them back.
"""

from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import JsonResponse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.people import staff_name

PREFIX = "newsroom:presence"


def expiry_seconds():
    return settings.PRESENCE_HEARTBEAT_SECONDS * 3


def _index_key(story_id):
    return f"{PREFIX}:{story_id}"


def _user_key(story_id, user_id):
    return f"{PREFIX}:{story_id}:{user_id}"


def heartbeat(story_id, user):
    """Marks `user` present on the story; returns the others there, longest there first."""
    timeout = expiry_seconds()
    key = _user_key(story_id, user.pk)
    # A reload or a save leaves and comes back at once: the editor keeps their "since".
    since = (cache.get(key) or {}).get("since") or timezone.now()
    cache.set(key, {"name": staff_name(user), "since": since}, timeout)
    index = _index_key(story_id)
    entries = cache.get_many([_user_key(story_id, pk) for pk in cache.get(index) or []])
    present = {pk: entry for pk, entry in _by_user(entries).items() if not entry.get("left")}
    cache.set(index, sorted({*present, user.pk}), timeout)
    others = [entry for pk, entry in present.items() if pk != user.pk]
    return sorted(others, key=lambda entry: entry["since"])


def leave(story_id, user):
    """The editor closed the story. Their "since" is kept a little while, for a reload."""
    key = _user_key(story_id, user.pk)
    entry = cache.get(key)
    if entry:
        cache.set(key, {**entry, "left": True}, expiry_seconds())


def _by_user(entries):
    return {int(key.rsplit(":", 1)[1]): entry for key, entry in entries.items()}


def as_json(editors):
    """Names and since-times, in the site's time zone, and the sentence the page shows for each."""
    result = []
    for editor in editors:
        since = timezone.localtime(editor["since"])
        time = formats.time_format(since, "H:i")
        result.append(
            {
                "name": editor["name"],
                "since": since.isoformat(),
                "since_time": time,
                "text": _("%(name)s is editing this story (since %(time)s)")
                % {"name": editor["name"], "time": time},
            }
        )
    return {"editors": result, "heartbeat_seconds": settings.PRESENCE_HEARTBEAT_SECONDS}


def json_error(status, code, message):
    return JsonResponse({"error": code, "message": message}, status=status)


def signed_in_json(admin_site, view):
    """admin_view for a script: a signed-out caller gets 401 JSON, not the login page's redirect."""
    admin_view = admin_site.admin_view(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not admin_site.has_permission(request):
            return json_error(
                401,
                "signed_out",
                _(
                    "Your session has expired — sign in again in another tab; "
                    "your changes are kept in this browser."
                ),
            )
        return admin_view(request, *args, **kwargs)

    return wrapper
