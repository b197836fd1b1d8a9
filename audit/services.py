from contextvars import ContextVar

from django.contrib.contenttypes.models import ContentType
from django.http import HttpRequest

from core.http import client_ip

from .models import Entry

# The request being answered, for entries written by signals (middleware.py sets it).
current_request: ContextVar[HttpRequest | None] = ContextVar("audit_current_request", default=None)


def record(who, action, obj=None, detail="", *, username=None):
    """Append an entry: `who` is a request (its user and address count), a user, or None (the
    request being answered, if any, else "system"); `obj` any model instance or None.
    `username` names who tried when nobody is signed in (a failed sign-in)."""
    if isinstance(who, HttpRequest):
        request, user = who, getattr(who, "user", None)
    else:
        request, user = current_request.get(), who
        if user is None and request is not None:
            user = getattr(request, "user", None)
    if user is not None and not user.is_authenticated:
        user = None
    entry = Entry(
        user=user,
        username=(user.get_username() if user else username or "")[:150],
        action=action,
        detail=str(detail)[:500],
        ip_address=client_ip(request) if request is not None else None,
    )
    if obj is not None:
        entry.content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        entry.object_id = str(obj.pk or "")[:64]
        entry.object_repr = str(obj)[:200]
    entry.save()
    return entry
