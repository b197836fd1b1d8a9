"""Entries show their author's current name and avatar: a change to either draws them again."""

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from accounts.models import Profile
from articles.models import Author

from . import entries
from .models import Comment


def redraw_comments_of(user_id):
    entries.store(list(Comment.objects.filter(user_id=user_id).for_display()))


@receiver(post_save, sender=Profile, dispatch_uid="comments.profile_changed")
def profile_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        redraw_comments_of(instance.user_id)


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="comments.user_renamed")
def user_renamed(sender, instance, created=False, raw=False, update_fields=None, **kwargs):
    # Not on every sign-in (which saves last_login only): only when the name may have changed.
    if created or raw:
        return
    if update_fields is None or {"first_name", "last_name"} & set(update_fields):
        redraw_comments_of(instance.pk)


@receiver(post_save, sender=Author, dispatch_uid="comments.byline_changed")
def byline_changed(sender, instance, raw=False, **kwargs):
    # Staff comment under their byline: a new name or a newly linked account draws them again.
    if not raw and instance.user_id:
        redraw_comments_of(instance.user_id)
