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

from . import entries, notifications
from .forms import CommentEditForm, CommentForm
from .models import Comment, CommentReport, CommunityStandards
from .moderation import moderator
from .services import (
    READER_COOKIE,
    CommentRefused,
    address_key,
    delete_comment,
    edit_comment,
    new_reader_id,
    post_comment,
    reader_id,
    report_comment,
    reporter_key,
)
from .threads import can_moderate, thread_url

NEW_COMMENTS_LIMIT = 100
# Set when a comment is taken, read (and deleted) by the page's script: which story's draft to drop.
POSTED_COOKIE = "nr_posted"
POSTED_SECONDS = 3600
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _article_page(request, article, form, status):
    """The story page again, with the form as it was sent and why it was refused."""
    form.refresh_token()
    if "parent" in form.errors:
        form.drop_parent()
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
            parent_id=data.get("parent"),
        )
    except CommentRefused as refusal:
        if refusal.status == 404:
            return _refused_elsewhere(request, form, refusal.message, 404)
        # With its code: a banned reader's message links to the Contact page (comments/_form.html).
        form.add_error(None, ValidationError(refusal.message, code=refusal.code))
        if refusal.code == "bad_parent":
            form.drop_parent()
        return _article_page(request, article, form, refusal.status)
    if data.get("notify_replies"):
        _subscribe_to_replies(request, comment, data.get("email", ""))
    if comment.is_published:
        response = redirect(thread_url(comment, moderator=can_moderate(request.user)))
    else:
        messages.info(
            request, _("Your comment is awaiting moderation. It appears here once a moderator approves it.")
        )
        response = redirect(f"{article.get_absolute_url()}#comments")
    # The browser's draft of the comment box is done with only now (static/js/comment-draft.js).
    response.set_cookie(
        POSTED_COOKIE,
        str(article.pk),
        max_age=POSTED_SECONDS,
        secure=settings.SESSION_COOKIE_SECURE,
        samesite="Lax",
    )
    return response


def _subscribe_to_replies(request, comment, email):
    """The form's "Email me when someone replies", ticked: subscribe, and say what happens next."""
    outcome = notifications.subscribe(
        comment, user=request.user, email=email, base_url=request.build_absolute_uri("/")
    )
    if outcome == notifications.CONFIRMED:
        messages.info(request, _("We will email you when someone replies in this conversation."))
    elif outcome == notifications.CONFIRMING:
        messages.info(
            request,
            _(
                "To get emails about replies, confirm your address: we sent a link to %(email)s. "
                "If you confirmed it for this conversation before, there is nothing more to do."
            )
            % {"email": email or request.user.email},
        )
    else:
        messages.warning(
            request, _("Your account has no email address, so we cannot email you about replies.")
        )


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
        Comment.objects.visible()
        .filter(article=article, published_at__gt=since)
        .order_by("published_at", "id")
        .values_list(*entries.ENTRY_FIELDS, "user_id", "created_at", "published_at")[:NEW_COMMENTS_LIMIT]
    )
    reader = request.user if request.user.is_authenticated else None
    return JsonResponse(
        {
            "count": len(comments),
            "ids": [pk for pk, *_rest in comments],
            # Replies carry data-thread: the page puts each under its thread (comment-threads.js).
            "html": entries.joined((row[:5] for row in comments), reader=reader),
            "since": cursor(comments[-1][5]) if comments else since_us,
        }
    )


def cursor(moment):
    """A point in time as the new-comments endpoint takes it: whole microseconds since 1970 (UTC)."""
    return (moment - EPOCH) // timedelta(microseconds=1)


READER_COOKIE_AGE = 2 * 365 * 24 * 3600


@require_http_methods(["GET", "HEAD", "POST"])
@csrf_retry
def report(request, comment_id):
    """GET: ask "Report this comment?" and why (the link under each comment, without JavaScript);
    POST: report it. With JavaScript the reasons open in place and the answer is JSON
    (static/js/comments.js). Each browser gets a reader cookie, so two readers on one address
    are told apart."""
    comment = get_object_or_404(
        Comment.objects.published().filter(deleted_at=None).select_related("article__section"), pk=comment_id
    )
    if request.method != "POST":
        # With this reader's own token (which makes the page private): it posts at the first try.
        return render(request, "comments/report.html", {"comment": comment, "reasons": CommentReport.Reason})
    wants_json = request.headers.get("accept", "").startswith("application/json")
    reason = request.POST.get("reason", "")
    if reason not in CommentReport.Reason.values:
        message = _("Choose why you are reporting this comment.")
        if wants_json:
            return JsonResponse({"message": message}, status=400)
        context = {"comment": comment, "reasons": CommentReport.Reason, "error": message}
        return render(request, "comments/report.html", context, status=400)
    browser = reader_id(request) or new_reader_id()
    reporter, address = reporter_key(request, browser), address_key(request)
    # Counted by address, which a new cookie does not change.
    wait = ratelimit.hit(f"comments:report:{address}", settings.COMMENTS_REPORT_RATE_LIMIT)
    if wait:
        message = _("You have sent many reports in a short time. Try again in a few minutes.")
        status = 429
    elif report_comment(comment, reporter=reporter, user=request.user, reason=reason, address=address):
        message = _("Thank you. A moderator will look at this comment.")
        status = 200
    else:
        message = _("You have already reported this comment.")
        status = 200
    if wants_json:
        response = JsonResponse({"message": message}, status=status)
    else:
        if status == 429:
            messages.error(request, message)
        else:
            messages.success(request, message)
        comment.refresh_from_db(fields=["status"])
        if comment.is_published:
            response = redirect(thread_url(comment))
        else:
            response = redirect(f"{comment.article.get_absolute_url()}#comments")
    if reader_id(request) != browser:
        response.set_cookie(
            READER_COOKIE,
            browser,
            max_age=READER_COOKIE_AGE,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    return response


def _shown(request, comment_id):
    """The comment, if it is on the story's page for this reader (with whether they moderate)."""
    comment = get_object_or_404(
        Comment.objects.select_related("article__section", "thread_root"), pk=comment_id
    )
    moderator = can_moderate(request.user)
    statuses = [Comment.Status.PUBLISHED, Comment.Status.PENDING] if moderator else [Comment.Status.PUBLISHED]
    thread = [comment, comment.thread_root] if comment.thread_root_id else [comment]
    # Comments under a draft: only for those who may preview that draft (articles.views).
    if any(c.status not in statuses for c in thread) or not can_preview(request.user, comment.article):
        raise Http404("No such comment")
    return comment, moderator


def permalink(request, comment_id):
    comment, moderator = _shown(request, comment_id)
    return redirect(thread_url(comment, moderator=moderator))


@require_safe
def reply(request, comment_id):
    """The Reply link under a comment, without JavaScript: the story page the comment is on, with
    the form set to answer it (comment_section reads `reply_to`)."""
    comment, moderator = _shown(request, comment_id)
    if comment.is_deleted or not comment.is_published:
        raise Http404("No such comment")
    url = thread_url(comment, moderator=moderator, query=f"reply_to={comment.pk}")
    return redirect(url.rsplit("#", 1)[0] + "#comment-form")


def _own_comment(request, comment_id):
    """The reader's own comment, or 404: nobody learns whether someone else's exists."""
    comment = get_object_or_404(
        Comment.objects.select_related("article__section", "user__profile", "user__author"), pk=comment_id
    )
    if not comment.is_own(request.user) or comment.status not in (
        Comment.Status.PUBLISHED,
        Comment.Status.PENDING,
    ):
        raise Http404("No such comment")
    return comment


def _back_to(comment):
    comment.refresh_from_db(fields=["status"])
    if comment.is_published and (comment.thread_root_id is None or comment.thread_root.is_published):
        return thread_url(comment)
    return f"{comment.article.get_absolute_url()}#comments"


@require_http_methods(["GET", "HEAD", "POST"])
def edit(request, comment_id):
    """Its author edits a comment, within COMMENTS_EDIT_MINUTES of posting it (the Edit link under
    it on their own page). A refusal shows the page again with the text as typed."""
    comment = _own_comment(request, comment_id)
    status = 200
    if request.method == "POST":
        form = CommentEditForm(request.POST)
        if form.is_valid():
            try:
                comment = edit_comment(comment, body=form.cleaned_data["body"], user=request.user)
            except CommentRefused as refusal:
                form.add_error(None, refusal.message)
                status = refusal.status
            else:
                if comment.is_published:
                    messages.success(request, _("Your comment was changed."))
                else:
                    messages.info(
                        request,
                        _(
                            "Your changed comment is awaiting moderation. "
                            "It appears again once a moderator approves it."
                        ),
                    )
                return redirect(_back_to(comment))
        else:
            status = 400
    else:
        form = CommentEditForm(initial={"body": comment.body})
        if not comment.can_edit(request.user):
            form.add_error(None, _("This comment can no longer be edited."))
            status = 400
    context = {"comment": comment, "form": form, "edit_minutes": settings.COMMENTS_EDIT_MINUTES}
    return render(request, "comments/edit.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def delete(request, comment_id):
    """Its author deletes a comment: "Delete?" first, then the post."""
    comment = _own_comment(request, comment_id)
    if request.method != "POST":
        return render(request, "comments/delete.html", {"comment": comment})
    try:
        comment = delete_comment(comment, user=request.user)
    except CommentRefused as refusal:
        return render(
            request,
            "comments/delete.html",
            {"comment": comment, "error": refusal.message},
            status=refusal.status,
        )
    messages.success(request, _("Your comment was deleted."))
    if comment.is_published:  # kept in its thread for the replies
        return redirect(thread_url(comment))
    if comment.thread_root_id and comment.thread_root.is_published:
        return redirect(thread_url(comment.thread_root))
    return redirect(f"{comment.article.get_absolute_url()}#comments")


def community_standards(request):
    standards = CommunityStandards.objects.order_by("pk").first()
    return render(request, "comments/community_standards.html", {"standards": standards})
