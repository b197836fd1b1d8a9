from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from articles.models import Article
from articles.views import can_preview, render_story
from core import ratelimit
from core.caching import csrf_retry
from core.http import client_ip

from . import entries
from .forms import CommentForm
from .models import Comment, CommunityStandards
from .moderation import moderator
from .services import CommentRefused, post_comment, report_comment, reporter_key
from .threads import can_moderate, thread_url

NEW_COMMENTS_LIMIT = 100
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _article_page(request, article, form, status):
    """The story page again, with the form as it was sent and why it was refused."""
    form.refresh_token()
    return render_story(
        request, article, status=status, comment_form=form, account_next=article.get_absolute_url()
    )


def _refused_elsewhere(request, form, message, status):
    # The story is gone from readers' view: keep the text on a page of its own so it is not lost.
    return render(
        request,
        "comments/refused.html",
        {"message": message, "body": form.data.get("body", "")},
        status=status,
    )


def _rate_limited(request, ip):
    """Seconds to wait before this reader may post again, or 0."""
    rate = settings.COMMENTS_RATE_LIMIT
    wait = ratelimit.hit(f"comments:ip:{ip}", rate)
    if request.user.is_authenticated:
        wait = max(wait, ratelimit.hit(f"comments:user:{request.user.pk}", rate))
    return wait


@require_POST
@csrf_retry
def post(request, article_id):
    article = Article.objects.for_page().filter(pk=article_id).first()
    form = CommentForm(request.POST, article=article or Article(pk=article_id), user=request.user)
    if article is None or not article.is_published:
        message = _("This story is not available any more, so it cannot be commented on.")
        return _refused_elsewhere(request, form, message, 404)
    if not moderator.allow(article):
        form.add_error(None, _("Comments are closed on this story."))
        return _article_page(request, article, form, 400)
    if not form.is_valid():
        return _article_page(request, article, form, 400)
    ip = client_ip(request)
    wait = _rate_limited(request, ip)
    if wait:
        message = ngettext(
            "You are commenting too fast. Wait %(seconds)d second and try again.",
            "You are commenting too fast. Wait %(seconds)d seconds and try again.",
            wait,
        ) % {"seconds": wait}
        form.add_error(None, message)
        return _article_page(request, article, form, 429)
    data = form.cleaned_data
    try:
        comment = post_comment(
            article=article,
            body=data["body"],
            user=request.user,
            name=data.get("name", ""),
            email=data.get("email", ""),
            ip_address=ip,
            user_agent=request.headers.get("user-agent", ""),
        )
    except CommentRefused as refusal:
        if refusal.status == 404:
            return _refused_elsewhere(request, form, refusal.message, 404)
        # With its code: a banned reader's message links to the Contact page (comments/_form.html).
        form.add_error(None, ValidationError(refusal.message, code=refusal.code))
        return _article_page(request, article, form, refusal.status)
    if comment.is_published:
        return redirect(thread_url(comment, moderator=can_moderate(request.user)))
    messages.info(
        request, _("Your comment is awaiting moderation. It appears here once a moderator approves it.")
    )
    return redirect(f"{article.get_absolute_url()}#comments")


@require_safe  # HEAD too: uptime checks and link checkers ask it, and get GET's answer without a body
@never_cache
def new_comments(request, article_id):
    """Comments published after `since` (microseconds since 1970, UTC), rendered as on the page."""
    article = get_object_or_404(Article.objects.published().select_related("section"), pk=article_id)
    try:
        since_us = int(request.GET["since"])
        since = EPOCH + timedelta(microseconds=since_us)
    except (KeyError, ValueError, OverflowError):
        return JsonResponse(
            {"error": _("“since” must be a time in microseconds, as the page gave it.")}, status=400
        )
    comments = list(
        Comment.objects.published()
        .filter(article=article, published_at__gt=since)
        .order_by("published_at", "id")
        .values_list(*entries.ENTRY_FIELDS, "published_at")[:NEW_COMMENTS_LIMIT]
    )
    return JsonResponse(
        {
            "count": len(comments),
            "ids": [pk for pk, *_rest in comments],
            "html": entries.joined(row[:3] for row in comments),
            "since": cursor(comments[-1][3]) if comments else since_us,
        }
    )


def cursor(moment):
    """A point in time as the new-comments endpoint takes it: whole microseconds since 1970 (UTC)."""
    return (moment - EPOCH) // timedelta(microseconds=1)


@require_http_methods(["GET", "HEAD", "POST"])
@csrf_retry
def report(request, comment_id):
    """GET: ask "Report this comment?" (the link under each comment, without JavaScript); POST: report
    it. With JavaScript the link posts at once and the answer is JSON (static/js/comments.js)."""
    comment = get_object_or_404(Comment.objects.published().select_related("article__section"), pk=comment_id)
    if request.method != "POST":
        # With this reader's own token (which makes the page private): it posts at the first try.
        return render(request, "comments/report.html", {"comment": comment})
    wants_json = request.headers.get("accept", "").startswith("application/json")
    reporter = reporter_key(request)
    wait = ratelimit.hit(f"comments:report:{reporter}", settings.COMMENTS_REPORT_RATE_LIMIT)
    if wait:
        message = _("You have sent many reports in a short time. Try again in a few minutes.")
        status = 429
    elif report_comment(comment, reporter=reporter, user=request.user):
        message = _("Thank you. A moderator will look at this comment.")
        status = 200
    else:
        message = _("You have already reported this comment.")
        status = 200
    if wants_json:
        return JsonResponse({"message": message}, status=status)
    if status == 429:
        messages.error(request, message)
    else:
        messages.success(request, message)
    comment.refresh_from_db(fields=["status"])
    if comment.is_published:
        return redirect(thread_url(comment))
    return redirect(f"{comment.article.get_absolute_url()}#comments")


def permalink(request, comment_id):
    comment = get_object_or_404(Comment.objects.select_related("article__section"), pk=comment_id)
    moderator = can_moderate(request.user)
    visible = comment.is_published or (moderator and comment.status == Comment.Status.PENDING)
    # Comments under a draft: only for those who may preview that draft (articles.views).
    if not visible or not can_preview(request.user, comment.article):
        raise Http404("No such comment")
    return redirect(thread_url(comment, moderator=moderator))


def community_standards(request):
    standards = CommunityStandards.objects.order_by("pk").first()
    return render(request, "comments/community_standards.html", {"standards": standards})
