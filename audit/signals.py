"""What the log records by itself: sign-ins, group, permission and staff changes, story deletions."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from django.urls import reverse

from .models import Entry
from .services import record

User = get_user_model()


def _is_admin_sign_in(request):
    """A sign-in page reached on the way to the admin: its own login, or allauth's with ?next=/admin/."""
    if request is None:
        return False
    admin = reverse("admin:index")
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    return request.path.startswith(admin) or next_url.startswith(admin)


@receiver(user_logged_in, dispatch_uid="audit.sign_in")
def signed_in(sender, request, user, **kwargs):
    # Staff sign-ins only: readers sign in all day, and the log is about the desk.
    if user.is_staff:
        record(request if request is not None and hasattr(request, "META") else user, Entry.Action.SIGN_IN)


@receiver(user_login_failed, dispatch_uid="audit.sign_in_failed")
def sign_in_failed(sender, credentials, request=None, **kwargs):
    tried = credentials.get("username") or credentials.get("email") or credentials.get("login") or ""
    staff = bool(tried) and User.objects.filter(is_staff=True, username__iexact=tried).exists()
    staff = staff or (bool(tried) and User.objects.filter(is_staff=True, email__iexact=tried).exists())
    if staff or _is_admin_sign_in(request):
        record(request, Entry.Action.SIGN_IN_FAILED, username=tried, detail=f"tried: {tried}"[:500])


def _names(model, pks):
    objects = model.objects.filter(pk__in=pks)
    if model is Permission:
        objects = objects.select_related("content_type")
    return ", ".join(sorted(str(obj) for obj in objects))


def _connect(through, action, owner_model, member_model, label, forward, backward):
    def handler(sender, instance, action: str, reverse, model, pk_set, **kwargs):
        if action == "pre_clear":
            # clear() names no members afterwards: note them now.
            manager = getattr(instance, backward if reverse else forward)
            instance._audit_cleared = set(manager.values_list("pk", flat=True))
            return
        if action not in ("post_add", "post_remove", "post_clear"):
            return
        verb = "added" if action == "post_add" else "removed"
        if action == "post_clear":
            pk_set = instance.__dict__.pop("_audit_cleared", set())
        if not pk_set:
            return
        if not reverse:  # user.groups.add(group): one owner, several members
            record(None, entry_action, instance, f"{label} {verb}: {_names(member_model, pk_set)}")
        else:  # group.user_set.add(user): one member, several owners
            for owner in owner_model.objects.filter(pk__in=pk_set):
                record(None, entry_action, owner, f"{label} {verb}: {instance}")

    entry_action = action
    m2m_changed.connect(handler, sender=through, weak=False, dispatch_uid=f"audit.{through._meta.label}")


_connect(User.groups.through, Entry.Action.GROUPS, User, Group, "groups", "groups", "user_set")
_connect(
    User.user_permissions.through, Entry.Action.PERMISSIONS, User, Permission, "permissions",
    "user_permissions", "user_set",
)  # fmt: skip
_connect(
    Group.permissions.through, Entry.Action.PERMISSIONS, Group, Permission, "permissions",
    "permissions", "group_set",
)  # fmt: skip

STAFF_FLAGS = ("is_staff", "is_superuser")


@receiver(pre_save, sender=User, dispatch_uid="audit.staff_flags_before")
def note_staff_flags(sender, instance, update_fields=None, raw=False, **kwargs):
    if raw or (update_fields is not None and not set(STAFF_FLAGS) & set(update_fields)):
        return  # e.g. last_login on every sign-in: no query
    if instance.pk is None:
        before = dict.fromkeys(STAFF_FLAGS, False)
    else:
        before = User.objects.filter(pk=instance.pk).values(*STAFF_FLAGS).first() or dict.fromkeys(
            STAFF_FLAGS, False
        )
    instance._audit_staff_flags = before


@receiver(post_save, sender=User, dispatch_uid="audit.staff_flags_after")
def record_staff_flags(sender, instance, raw=False, **kwargs):
    before = instance.__dict__.pop("_audit_staff_flags", None)
    if raw or before is None:
        return
    changes = [
        f"{flag} {'on' if getattr(instance, flag) else 'off'}"
        for flag in STAFF_FLAGS
        if bool(before[flag]) != bool(getattr(instance, flag))
    ]
    if changes:
        record(None, Entry.Action.STAFF, instance, ", ".join(changes))


@receiver(post_delete, sender="articles.Article", dispatch_uid="audit.article_deleted")
def article_deleted(sender, instance, **kwargs):
    # A signal, not an admin hook: every way of deleting a story is logged. No import of articles.
    record(None, Entry.Action.DELETE, instance, f"status was {instance.status}")
