"""Reply notifications: a commenter asks to be emailed when someone replies in their conversation.

A subscription is one address on one thread (ReplySubscription). An account's verified address is
confirmed at once; a guest's gets a link to confirm first, so nobody is emailed on someone else's
say-so. When a reply becomes visible (posted published, or approved) the request only enqueues a
task, once its transaction commits; the worker (`manage.py db_worker`) sends the emails: one per
subscriber other than the reply's author, at most one per subscription every
COMMENTS_REPLY_EMAIL_MINUTES. Each carries a signed one-click unsubscribe link (RFC 8058).
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import Ban, Comment, ReplySubscription

logger = logging.getLogger(__name__)

CONFIRM_SALT = "comments.replies.confirm"
UNSUBSCRIBE_SALT = "comments.replies.unsubscribe"
# A confirmation link works this long. An unsubscribe link never expires: old emails keep theirs.
CONFIRM_MAX_AGE = 7 * 24 * 3600

# What subscribe() did.
CONFIRMED = "confirmed"  # emails will come
CONFIRMING = "confirming"  # a link to confirm the address was (or had just been) emailed
NO_ADDRESS = "no_address"  # an account without an email address


def window():
    return timedelta(minutes=settings.COMMENTS_REPLY_EMAIL_MINUTES)


def _enqueue(task, *args):
    # After the commit: the worker must find the rows, and a rolled-back post sends nothing. A queue
    # that refuses it is logged, not a failed post: the comment is saved by then.
    transaction.on_commit(lambda: task.enqueue(*args), robust=True)


def account_address(user):
    """The account's verified address (the primary one first), or ""."""
    from allauth.account.models import EmailAddress

    verified = EmailAddress.objects.filter(user=user, verified=True).order_by("-primary", "pk")
    return (verified.values_list("email", flat=True).first() or "").strip().lower()


def subscribe(comment, *, user=None, email="", base_url=""):
    """Email `email` (or the account's address) about replies in `comment`'s thread. Returns
    CONFIRMED, CONFIRMING or NO_ADDRESS."""
    from . import tasks

    user = user if user is not None and user.is_authenticated else None
    verified = account_address(user) if user is not None else ""
    if user is not None:
        email = verified or user.email
    email = (email or "").strip().lower()
    if not email:
        return NO_ADDRESS
    now = timezone.now()
    with transaction.atomic():
        subscription, _created = ReplySubscription.objects.select_for_update().get_or_create(
            thread_root_id=comment.thread_root_id or comment.pk,
            email=email,
            defaults={"user": user, "base_url": base_url},
        )
        if subscription.unsubscribed_at is not None:
            subscription.unsubscribed_at = None
            # Anyone may type an address: one that said stop is asked again before anything is sent.
            subscription.confirmed_at = None
        if verified and subscription.confirmed_at is None:
            subscription.confirmed_at = now
        subscription.user = subscription.user or user
        subscription.base_url = base_url or subscription.base_url
        subscription.save()
        if subscription.confirmed_at is not None:
            return CONFIRMED
        # One confirmation email per thread and address per window, however often it is asked.
        due = Q(confirmation_sent_at=None) | Q(confirmation_sent_at__lte=now - window())
        if ReplySubscription.objects.filter(due, pk=subscription.pk).update(confirmation_sent_at=now):
            _enqueue(tasks.send_reply_confirmation, subscription.pk)
    return CONFIRMING


def replies_published(reply_ids):
    """Reply notifications for these comments, newly visible: enqueued once the transaction commits.
    Called by services.post_comment and services.moderate; the task checks everything again."""
    from . import tasks

    for reply_id in reply_ids:
        _enqueue(tasks.send_reply_notifications, reply_id)


# Signed links


def make_token(subscription, salt):
    return signing.dumps({"s": subscription.pk, "e": subscription.email}, salt=salt)


class BadLink(Exception):
    def __init__(self, message, status):
        super().__init__(message)
        self.message, self.status = message, status


def subscription_for(token, salt, *, max_age=None):
    """The subscription a signed link names, or BadLink with the reader's message and a 4xx."""
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
        pk, email = int(data["s"]), str(data["e"])
    except signing.SignatureExpired as exc:
        message = _(
            "This link has expired. Tick “Email me when someone replies” again when you next comment."
        )
        raise BadLink(message, 400) from exc
    except (signing.BadSignature, KeyError, TypeError, ValueError, OverflowError) as exc:
        message = _("This link is not valid. Check that it was copied whole from the email.")
        raise BadLink(message, 400) from exc
    subscription = (
        ReplySubscription.objects.select_related("thread_root__article").filter(pk=pk, email=email).first()
    )
    if subscription is None:
        message = _("This conversation is no longer on the site: no emails will be sent about it.")
        raise BadLink(message, 404)
    return subscription


def absolute(subscription, path):
    return f"{settings.SITE_URL or subscription.base_url.rstrip('/')}{path}"


def unsubscribe_url(subscription):
    token = make_token(subscription, UNSUBSCRIBE_SALT)
    return absolute(subscription, reverse("comments:unsubscribe_replies", args=[token]))


def confirm_url(subscription):
    token = make_token(subscription, CONFIRM_SALT)
    return absolute(subscription, reverse("comments:confirm_replies", args=[token]))


# The worker's side (comments/tasks.py)


def _headline(article):
    return " ".join(article.headline.split())  # a header holds one line


def send_confirmation(subscription_id):
    """Email a guest the link that confirms their address. Returns whether it was sent."""
    subscription = (
        ReplySubscription.objects.select_related("thread_root__article")
        .filter(pk=subscription_id, confirmed_at=None, unsubscribed_at=None)
        .first()
    )
    if subscription is None:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        headline = _headline(subscription.thread_root.article)
        subject = f"[{settings.SITE_NAME}] " + _("Confirm emails about replies on “%(headline)s”") % {
            "headline": headline
        }
        body = _(
            "Someone, probably you, asked us to email this address when someone replies in a "
            "conversation under “%(headline)s”.\n\n"
            "To get these emails, open this link and press Confirm:\n%(url)s\n\n"
            "If it was not you, ignore this email: nothing will be sent."
        ) % {"headline": headline, "url": confirm_url(subscription)}
    EmailMessage(subject, body, to=[subscription.email]).send()
    return True


def _visible(reply):
    root = reply.thread_root
    return (
        reply.is_published
        and not reply.is_deleted
        and root is not None
        and root.is_published
        and reply.article.is_published
    )


def _own_addresses(reply):
    if reply.user_id is None:
        return {reply.email} if reply.email else set()
    from allauth.account.models import EmailAddress

    addresses = set(EmailAddress.objects.filter(user_id=reply.user_id).values_list("email", flat=True))
    return {address.lower() for address in addresses | {reply.user.email} if address}


def _message(subscription, reply):
    with translation.override(settings.LANGUAGE_CODE):
        headline = _headline(reply.article)
        unsubscribe = unsubscribe_url(subscription)
        subject = f"[{settings.SITE_NAME}] " + _("New reply to your comment on “%(headline)s”") % {
            "headline": headline
        }
        body = _(
            "%(name)s replied in your conversation under “%(headline)s”:\n\n"
            "%(text)s\n\n"
            "Read it and answer: %(url)s\n\n"
            "We email you at most once every %(minutes)d minutes about this conversation; the page "
            "shows every reply.\n"
            "Stop these emails: %(unsubscribe)s\n"
        ) % {
            "name": reply.author_name,
            "headline": headline,
            "text": reply.body,
            "url": absolute(subscription, reply.get_absolute_url()),
            "minutes": settings.COMMENTS_REPLY_EMAIL_MINUTES,
            "unsubscribe": unsubscribe,
        }
    return EmailMessage(
        subject,
        body,
        to=[subscription.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def send_notifications(reply_id):
    """Email this reply to its thread's subscribers. Returns how many emails were sent."""
    reply = (
        Comment.objects.select_related("article", "thread_root", "user__profile", "user__author")
        .filter(pk=reply_id)
        .first()
    )
    if reply is None or not _visible(reply):
        return 0  # held, rejected or removed meanwhile: approving it enqueues this again
    if Ban.find(user=reply.user, email=reply.email, ip=reply.ip_address) is not None:
        return 0
    subscriptions = (
        ReplySubscription.objects.filter(thread_root_id=reply.thread_root_id, unsubscribed_at=None)
        .exclude(confirmed_at=None)
        .filter(Q(user=None) | Q(user__is_active=True))
        .exclude(email__in=_own_addresses(reply))
    )
    if reply.user_id is not None:
        subscriptions = subscriptions.exclude(user_id=reply.user_id)
    sent = 0
    with mailers.default as mailer:
        for subscription in subscriptions:
            now = timezone.now()
            # Claimed in one conditional UPDATE: two workers never both send within the window.
            due = Q(last_sent_at=None) | Q(last_sent_at__lte=now - window())
            if not ReplySubscription.objects.filter(due, pk=subscription.pk, unsubscribed_at=None).update(
                last_sent_at=now
            ):
                continue
            try:
                mailer.send_messages([_message(subscription, reply)])
            except Exception:
                # Not sent: the next reply may try again.
                ReplySubscription.objects.filter(pk=subscription.pk, last_sent_at=now).update(
                    last_sent_at=subscription.last_sent_at
                )
                logger.exception("Could not email reply %s to subscription %s", reply.pk, subscription.pk)
                continue
            sent += 1
    return sent
