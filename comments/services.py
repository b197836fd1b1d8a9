"""Every write that changes what readers see under a story, each in one transaction."""

import hashlib
import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles.models import Article
from core.http import client_ip
from core.markup import render_plain_text

from . import entries, live, notifications
from .models import Ban, BannedWord, Comment, CommentReport
from .moderation import moderator


class CommentRefused(Exception):
    """A comment that is not taken at all; `status` is the HTTP status to answer with."""

    def __init__(self, message, status=400, code="refused"):
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code


def refresh_comment_counts(article_ids):
    """Article.comment_count = the comments readers see under it (replies as well, but not a reply
    whose thread's first comment is gone, nor "deleted by its author"), for each story, in one UPDATE."""
    published = (
        Comment.objects.visible()
        .filter(article=OuterRef("pk"), deleted_at=None)
        .order_by()
        .values("article")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Article.objects.filter(pk__in=set(article_ids)).update(
        comment_count=Coalesce(Subquery(published), Value(0))
    )


def hold_reason_for(article, body_html, body, user, email):
    """Why a new comment should wait for a moderator, or "" to publish it at once."""
    reasons = Comment.HoldReason
    if moderator.premoderated(article):
        return reasons.PREMODERATION
    if body_html.count("<a ") > settings.COMMENTS_MAX_LINKS:
        return reasons.LINKS
    pattern = BannedWord.pattern()
    if pattern is not None and pattern.search(body):
        return reasons.BANNED_WORD
    if user is None and email:
        # Guests' addresses are stored lowercased (post_comment): an exact match reads
        # comment_email_idx, where iexact read every comment (0.13 s with a million of them).
        earlier = Comment.objects.filter(user=None, email=email.lower(), status=Comment.Status.REJECTED)
        if earlier.exists():
            return reasons.REJECTED_BEFORE
    return reasons.NONE


def answerable(parent_id, article):
    """The comment `parent_id` names, when a reader may reply to it under `article`; else None."""
    parent = Comment.objects.for_display().select_related("thread_root").filter(pk=parent_id).first()
    if (
        parent is None
        or parent.article_id != article.pk
        or not parent.is_published
        or parent.is_deleted
        or (parent.thread_root is not None and not parent.thread_root.is_published)
    ):
        return None
    return parent


def post_comment(
    *, article, body, user=None, name="", email="", ip_address=None, user_agent="", parent_id=None
):
    """Take a reader's comment: published, held for a moderator, or refused with CommentRefused.

    With `parent_id`, a reply: to a comment shown under the same story. A reply to a reply joins
    the same thread (threads are one level deep), however deep the form says it is.

    Posting the same text twice (a double click, a resent form) gives back the first comment,
    marked `duplicate = True`. Posts to one story are serialised on the story's row, which also
    keeps its comment count exact under concurrent posters.
    """
    user = user if user is not None and user.is_authenticated else None
    email = (email or "").strip().lower()  # as the form gives it; see hold_reason_for
    with transaction.atomic():
        article = Article.objects.select_for_update().filter(pk=article.pk).first()
        if article is None or not article.is_published:
            raise CommentRefused(
                _("This story is not published, so it cannot be commented on."), 404, "unpublished"
            )
        if not moderator.allow(article):
            raise CommentRefused(_("Comments are closed on this story."), 400, "closed")
        ban = Ban.find(user=user, email=email, ip=ip_address)
        if ban is not None:
            raise CommentRefused(
                _("You can no longer comment on this site. If you think this is a mistake, write to us."),
                403,
                "banned",
            )
        parent = None
        if parent_id is not None:
            parent = answerable(parent_id, article)
            if parent is None:
                raise CommentRefused(NOT_ANSWERABLE, 400, "bad_parent")

        same_author = Q(user=user) if user is not None else Q(user=None, email__iexact=email)
        duplicate = (
            Comment.objects.filter(
                same_author,
                article=article,
                body=body,
                parent=parent,
                created_at__gte=timezone.now()
                - timedelta(seconds=settings.COMMENTS_DUPLICATE_WINDOW_SECONDS),
            )
            .order_by("pk")
            .first()
        )
        if duplicate is not None:
            duplicate.duplicate = True
            return duplicate

        comment = Comment(
            article=article,
            user=user,
            name=name if user is None else _display_name(user),
            email=email if user is None else "",
            body=body,
            ip_address=ip_address,
            user_agent=(user_agent or "")[:300],
        )
        if parent is not None:
            comment.parent = parent
            comment.thread_root_id = parent.thread_root_id or parent.pk
            comment.reply_to = str(parent.author_name)[: settings.COMMENTS_NAME_MAX_LENGTH]
        reason = hold_reason_for(article, render_plain_text(body), body, user, email)
        comment.hold_reason = reason
        comment.status = Comment.Status.PENDING if reason else Comment.Status.PUBLISHED
        comment.save()
        if comment.is_published:
            refresh_comment_counts([article.pk])
            if comment.is_reply:
                notifications.replies_published([comment.pk])
            live.announce([comment])
    comment.duplicate = False
    return comment


NOT_ANSWERABLE = _(
    "The comment you replied to is not shown under this story any more, so your reply was not posted. "
    "Your text is kept below: press Comment to post it as a comment of its own."
)


def edit_comment(comment, *, body, user):
    """Its author changes a comment's text, within COMMENTS_EDIT_MINUTES of posting it.

    The text passes the same rules as a new comment: an edit that adds links (or a banned word)
    waits for a moderator, as a new comment would.
    """
    with transaction.atomic():
        comment = Comment.objects.select_for_update().filter(pk=comment.pk).first()
        if comment is None or not comment.is_own(user):
            raise CommentRefused(_("You can only edit your own comments."), 403, "not_own")
        article = Article.objects.get(pk=comment.article_id)
        if not comment.is_published:
            raise CommentRefused(_("This comment is not on the page, so it cannot be edited."), 400, "hidden")
        if not comment.can_edit(user):
            minutes = settings.COMMENTS_EDIT_MINUTES
            raise CommentRefused(
                ngettext(
                    "Comments can be edited for %(minutes)d minute after posting; this one can no longer be "
                    "changed. Your text is kept below to copy.",
                    "Comments can be edited for %(minutes)d minutes after posting; this one can no longer be "
                    "changed. Your text is kept below to copy.",
                    minutes,
                )
                % {"minutes": minutes},
                400,
                "too_late",
            )
        if not moderator.allow(article):
            raise CommentRefused(_("Comments are closed on this story."), 400, "closed")
        if Ban.find(user=user) is not None:
            raise CommentRefused(
                _("You can no longer comment on this site. If you think this is a mistake, write to us."),
                403,
                "banned",
            )
        if body == comment.body:
            return comment
        reason = hold_reason_for(article, render_plain_text(body), body, user, "")
        comment.body, comment.edited_at = body, timezone.now()
        if reason:
            comment.status, comment.hold_reason = Comment.Status.PENDING, reason
        comment.save()
        if reason:
            refresh_comment_counts([article.pk])
    return comment


def delete_comment(comment, *, user):
    """Its author deletes a comment. One with replies stays in its thread as "Comment deleted by its
    author", without its text; any other leaves the page. Returns the comment."""
    with transaction.atomic():
        comment = Comment.objects.select_for_update().filter(pk=comment.pk).first()
        if comment is None or not comment.is_own(user):
            raise CommentRefused(_("You can only delete your own comments."), 403, "not_own")
        if comment.status not in (Comment.Status.PUBLISHED, Comment.Status.PENDING):
            raise CommentRefused(_("This comment is not on the page any more."), 400, "hidden")
        has_replies = (
            comment.is_published and Comment.objects.published().filter(thread_root=comment).exists()
        )
        comment.body, comment.deleted_at, comment.featured_at = "", timezone.now(), None
        if not has_replies:
            comment.status = Comment.Status.DELETED
        comment.save()
        if comment.thread_root_id:
            # The last reply under a deleted first comment: nothing is left to keep it for.
            Comment.objects.filter(pk=comment.thread_root_id, status=Comment.Status.PUBLISHED).exclude(
                deleted_at=None
            ).exclude(replies__status=Comment.Status.PUBLISHED).update(status=Comment.Status.DELETED)
        refresh_comment_counts([comment.article_id])
    return comment


def feature(comments, *, on=True):
    """Make comments editors' picks (or no longer); returns how many changed. Only a comment readers
    see can be a pick."""
    with transaction.atomic():
        if on:
            changing = comments.published().filter(deleted_at=None, featured_at=None)
        else:
            changing = comments.exclude(featured_at=None)
        ids = list(changing.values_list("pk", flat=True))
        Comment.objects.filter(pk__in=ids).update(featured_at=timezone.now() if on else None)
        # Their entries say "Editors' pick".
        entries.store(list(Comment.objects.filter(pk__in=ids).for_display()))
    return len(ids)


def _display_name(user):
    from accounts.models import display_name

    return str(display_name(user))[: settings.COMMENTS_NAME_MAX_LENGTH]


def needing(comments, status):
    """Those of `comments` that moderating to `status` changes: another status, or (approving)
    a visible comment whose reports are still open."""
    if status == Comment.Status.PUBLISHED:
        return comments.exclude(status=status, report_count=0)
    return comments.exclude(status=status)


def moderate(comments, status, *, by=None):
    """Set `status` on a queryset of comments; returns how many changed.

    Approving also closes their open reports, on a comment still shown too: the same readers
    cannot hide it again, but new readers still can.
    """
    now = timezone.now()
    with transaction.atomic():
        rows = list(needing(comments.select_for_update(), status).values_list("pk", "article_id"))
        if not rows:
            return 0
        ids = [pk for pk, _article in rows]
        changed = Comment.objects.filter(pk__in=ids)
        changed.update(status=status, moderated_by=by, moderated_at=now)
        if status == Comment.Status.PUBLISHED:
            # Replies readers see for the first time (not ones coming back after reports) notify.
            notifications.replies_published(
                changed.filter(published_at=None).exclude(thread_root=None).values_list("pk", flat=True)
            )
            changed.filter(published_at=None).update(published_at=now)
            changed.update(hold_reason="", report_count=0)
            # Their entries show when they were published: drawn again with that time.
            approved = list(changed.for_display())
            entries.store(approved)
            live.announce(approved)
        CommentReport.objects.filter(comment__in=ids, reviewed=False).update(reviewed=True)
        refresh_comment_counts({article for _pk, article in rows})
    return len(rows)


def ban_authors(comments, kind, *, by=None, reason=""):
    """Ban the email, IP address or account behind each comment; returns how many new bans."""
    made = 0
    with transaction.atomic():
        for comment in comments:
            if kind == Ban.Kind.USER:
                if comment.user_id is None:
                    continue
                _ban, created = Ban.objects.get_or_create(
                    kind=kind, user_id=comment.user_id, defaults={"created_by": by, "reason": reason}
                )
            else:
                value = comment.email if kind == Ban.Kind.EMAIL else comment.ip_address
                if not value or (kind == Ban.Kind.EMAIL and comment.user_id):
                    continue
                _ban, created = Ban.objects.get_or_create(
                    kind=kind, value=value.lower(), defaults={"created_by": by, "reason": reason}
                )
            made += created
    return made


READER_COOKIE = "reader"  # a random per-browser id, set by the report view; no account needed
_READER_ID = re.compile(r"[0-9a-f]{32}")


def _keyed(purpose, value):
    return hashlib.sha256(f"{settings.SECRET_KEY}:{purpose}:{value}".encode()).hexdigest()[:40]


def reader_id(request):
    """This browser's id from its reader cookie, or None."""
    value = request.COOKIES.get(READER_COOKIE, "")
    return value if _READER_ID.fullmatch(value) else None


def new_reader_id():
    return secrets.token_hex(16)


def address_key(request):
    """A keyed hash of the reader's address (never the address itself)."""
    return _keyed("report", client_ip(request) or "unknown")


def reporter_key(request, browser=None):
    """Who is reporting: the account, else this browser (its reader cookie, `browser` when it was
    just given one), else the address; two readers behind one address are two reporters."""
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    browser = browser or reader_id(request)
    if browser:
        return f"browser:{_keyed('reader', browser)}"
    return f"ip:{address_key(request)}"


def report_comment(comment, *, reporter, user=None, reason=CommentReport.Reason.OTHER, address=""):
    """Record one reader's report. Returns False when this reader had already reported it.

    At COMMENTS_REPORT_THRESHOLD open reports the comment leaves the page until a moderator looks.
    New browsers are cheap, so one address counts at most COMMENTS_REPORTS_PER_ADDRESS readers
    of a comment: nobody hides a comment alone by clearing cookies.
    """
    user = user if user is not None and user.is_authenticated else None
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        if (
            user is None
            and address
            and comment.reports.filter(address=address).count() >= settings.COMMENTS_REPORTS_PER_ADDRESS
        ):
            return False
        try:
            with transaction.atomic():
                CommentReport.objects.create(
                    comment=comment, reporter=reporter, user=user, reason=reason, address=address
                )
        except IntegrityError:
            return False
        Comment.objects.filter(pk=comment.pk).update(report_count=F("report_count") + 1)
        comment.refresh_from_db(fields=["report_count"])
        if comment.is_published and comment.report_count >= settings.COMMENTS_REPORT_THRESHOLD:
            Comment.objects.filter(pk=comment.pk).update(
                status=Comment.Status.PENDING, hold_reason=Comment.HoldReason.REPORTS
            )
            refresh_comment_counts([comment.article_id])
    return True
