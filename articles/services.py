"""The desk's workflow side effects: editors hear of a story sent for review."""

import logging
import threading

from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.utils.translation import gettext

from core.people import staff_name

logger = logging.getLogger(__name__)

# The thread that hands the mail to the mail server (tests wait for it by this name).
MAIL_THREAD_NAME = "newsroom-review-mail"


def editor_addresses(exclude_user=None):
    """The addresses of active staff who may publish, without `exclude_user`'s."""
    editors = (
        get_user_model()
        .objects.with_perm("articles.publish_article", backend="django.contrib.auth.backends.ModelBackend")
        .filter(is_staff=True)
        .exclude(email="")
    )
    if exclude_user is not None:
        editors = editors.exclude(pk=exclude_user.pk)
    return sorted(set(editors.values_list("email", flat=True)))


def notify_review(article, submitted_by, *, story_url, queue_url):
    """Email the editors that `article` waits for review, once the save is committed.

    The mail leaves from a thread of its own: a slow or absent mail server never holds up the
    reporter's save, and a failure is logged, not shown to them (the admin index lists the story
    in its review queue either way).
    """

    def send():
        addresses = editor_addresses(exclude_user=submitted_by)
        if not addresses:
            return
        name = staff_name(submitted_by)
        # A header holds one line, whatever was pasted into the headline.
        headline = " ".join(article.headline.split())
        subject = gettext("Ready for review: %(headline)s") % {"headline": headline}
        body = gettext(
            "%(name)s marked “%(headline)s” ready for review.\n\n"
            "Open the story: %(story_url)s\n"
            "Every story waiting for review: %(queue_url)s\n"
        ) % {"name": name, "headline": headline, "story_url": story_url, "queue_url": queue_url}
        # One message per editor: no one sees the others' addresses.
        messages = [EmailMessage(subject, body, to=[address]) for address in addresses]
        threading.Thread(target=_send, args=(messages,), name=MAIL_THREAD_NAME, daemon=True).start()

    transaction.on_commit(send)


def _send(messages):
    try:
        mailers.default.send_messages(messages)
    except Exception:
        logger.exception("Could not email the editors about a story ready for review")
