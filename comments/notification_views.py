"""The links in reply-notification emails: confirm a guest's address, and unsubscribe.

Both ask first on GET (mail scanners and link previews open links; they must not act on them) and
act on POST. The signed token is the authority: the unsubscribe POST needs no CSRF token, as mail
clients send RFC 8058's one-click `List-Unsubscribe=One-Click` without a page.
"""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from .models import ReplySubscription
from .notifications import CONFIRM_MAX_AGE, CONFIRM_SALT, UNSUBSCRIBE_SALT, BadLink, subscription_for

TEMPLATE = "comments/reply_emails.html"


def _bad_link(request, refusal):
    return render(request, TEMPLATE, {"error": refusal.message}, status=refusal.status)


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def confirm(request, token):
    try:
        subscription = subscription_for(token, CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except BadLink as refusal:
        return _bad_link(request, refusal)
    done = False
    if request.method == "POST":
        # Not one that said stop since this link was sent: only a new request re-subscribes.
        ReplySubscription.objects.filter(pk=subscription.pk, confirmed_at=None, unsubscribed_at=None).update(
            confirmed_at=timezone.now()
        )
        subscription.refresh_from_db()
        done = True
    context = {"action": "confirm", "subscription": subscription, "done": done}
    return render(request, TEMPLATE, context)


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
@csrf_exempt
def unsubscribe(request, token):
    try:
        subscription = subscription_for(token, UNSUBSCRIBE_SALT)
    except BadLink as refusal:
        return _bad_link(request, refusal)
    done = request.method == "POST"
    if done:
        ReplySubscription.objects.filter(pk=subscription.pk, unsubscribed_at=None).update(
            unsubscribed_at=timezone.now()
        )
    context = {"action": "unsubscribe", "subscription": subscription, "done": done}
    return render(request, TEMPLATE, context)
