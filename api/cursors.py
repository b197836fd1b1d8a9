"""Opaque cursors over (publication time, id): the place in "newest first" after a story.

Signed, so a client can neither forge one nor read a draft's time from it; a cursor stays
valid as stories are published (unlike page numbers, nothing shifts under a client paging back
in time). Signed with SECRET_KEY: rotating it ends the cursors in use, which get 400.
"""

from datetime import datetime

from django.core import signing
from django.db.models import Q

SALT = "api.stories.cursor"


class BadCursor(ValueError):
    pass


def make_cursor(story):
    return signing.dumps([story.published_at.isoformat(), story.pk], salt=SALT, compress=False)


def after_cursor(cursor):
    """A filter for the stories after `cursor` in newest-first order; BadCursor if it is not ours."""
    try:
        moment, pk = signing.loads(cursor, salt=SALT)
        moment = datetime.fromisoformat(moment)
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise BadCursor(cursor) from exc
    if not isinstance(pk, int) or moment.tzinfo is None:
        raise BadCursor(cursor)
    return Q(published_at__lt=moment) | Q(published_at=moment, pk__lt=pk)
