"""The comment thread under a story: which comments, in what order, on which page.

A thread is a comment and the replies to it (to it or to one of its replies: threads are one level
deep). Pages count threads: a page holds COMMENTS_PER_PAGE first comments, each followed by its
replies, oldest first, so a reply is always on its thread's page.
"""

from functools import cached_property

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import BooleanField, Case, Count, F, Q, Subquery, Value, When
from django.db.models.functions import Coalesce

from .entries import ENTRY_FIELDS
from .models import Comment

# What a reader's page reads of each comment: its entry, who wrote it and when (to offer its
# author Edit and Delete), and whether it is on the page or among the editors' picks.
ROW_FIELDS = (*ENTRY_FIELDS, "user_id", "created_at", "on_page", "featured_at", "threads")


class KnownCountPaginator(Paginator):
    """A paginator told its count, so it never runs a COUNT query."""

    def __init__(self, object_list, per_page, count, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._known_count = count

    @cached_property
    def count(self):
        return self._known_count


class ThreadPage(Page):
    """A page of threads; `picks` are the editors' picks shown above them (rows, like object_list)."""

    def __init__(self, object_list, number, paginator, picks=()):
        super().__init__(object_list, number, paginator)
        self.picks = list(picks)


def can_moderate(user):
    return user.is_authenticated and user.is_staff and user.has_perm("comments.moderate_comment")


MODERATOR_STATUSES = [Comment.Status.PUBLISHED, Comment.Status.PENDING]


def _number(page_number):
    try:
        return max(1, int(page_number))
    except (TypeError, ValueError):
        return 1


def _firsts(article):
    """The first comments of the story's threads that readers see."""
    return Comment.objects.published().filter(article=article, thread_root=None)


def _reader_rows(article, number):
    """One query: the entries of page `number`'s threads and of the editors' picks, each row with
    the number of threads in the story (for the paginator)."""
    per_page = settings.COMMENTS_PER_PAGE
    firsts = _firsts(article)
    page_firsts = firsts.order_by("published_at", "id").values("pk")[
        (number - 1) * per_page : number * per_page
    ]
    picks = (
        Comment.objects.visible()
        .filter(article=article, deleted_at=None, featured_at__isnull=False)
        .order_by("-featured_at")
        .values("pk")[: settings.COMMENTS_PICKS]
    )
    on_page = Q(pk__in=page_firsts) | Q(thread_root__in=page_firsts)
    threads = firsts.order_by().values("article").annotate(n=Count("pk")).values("n")
    return list(
        Comment.objects.visible()
        .filter(article=article)
        .filter(on_page | Q(pk__in=picks))
        .annotate(
            on_page=Case(When(on_page, then=Value(True)), default=Value(False), output_field=BooleanField()),
            threads=Subquery(threads),
        )
        .order_by(
            Coalesce("thread_root__published_at", "published_at"),
            Coalesce("thread_root_id", "id"),
            F("thread_root_id").asc(nulls_first=True),
            "published_at",
            "id",
        )
        .values_list(*ROW_FIELDS)
    )


def _reader_page(article, page_number):
    per_page = settings.COMMENTS_PER_PAGE
    number = _number(page_number)
    # The story's count is known: a story without comments needs no query for them.
    rows = _reader_rows(article, number) if article.comment_count else []
    if number > 1 and not any(row[5] for row in rows):
        # A page past the last (an old link after removals): the last page, as Paginator.get_page.
        count = rows[0][-1] if rows else _firsts(article).count()
        number = max(1, -(-count // per_page))
        rows = _reader_rows(article, number)
    count = rows[0][-1] if rows else 0
    paginator = KnownCountPaginator([], per_page, count)
    picks = sorted((row for row in rows if row[6]), key=lambda row: row[6], reverse=True)
    return ThreadPage(
        [row for row in rows if row[5]],
        min(number, paginator.num_pages),
        paginator,
        picks[: settings.COMMENTS_PICKS],
    )


def _moderator_page(article, page_number):
    """Published and held comments, whole, to draw with their status; replies after their thread's
    first comment. A few queries: moderators' pages are their own, never cached."""
    comments = Comment.objects.filter(article=article, status__in=MODERATOR_STATUSES).for_display()
    firsts = comments.filter(thread_root=None).order_by(Coalesce("published_at", "created_at"), "id")
    page = Paginator(firsts, settings.COMMENTS_PER_PAGE).get_page(page_number)
    replies = {}
    for reply in comments.filter(thread_root__in=[first.pk for first in page.object_list]).order_by(
        Coalesce("published_at", "created_at"), "id"
    ):
        replies.setdefault(reply.thread_root_id, []).append(reply)
    ordered = []
    for first in page.object_list:
        ordered += [first, *replies.get(first.pk, [])]
    picks = (
        Comment.objects.visible()
        .filter(article=article, deleted_at=None, featured_at__isnull=False)
        .order_by("-featured_at")
        .values_list(*ENTRY_FIELDS)[: settings.COMMENTS_PICKS]
    )
    return ThreadPage(ordered, page.number, page.paginator, picks)


def paginate(article, page_number, *, moderator=False):
    """A page of the story's threads: for readers, rows of ROW_FIELDS (their stored entries); for a
    moderator, Comment objects."""
    if moderator:
        return _moderator_page(article, page_number)
    return _reader_page(article, page_number)


def page_of(comment, *, moderator=False):
    """The thread page a comment is on (1 for the first COMMENTS_PER_PAGE threads)."""
    first = comment.thread_root if comment.thread_root_id else comment
    firsts = Comment.objects.filter(article_id=first.article_id, thread_root=None)
    if moderator:
        at = first.published_at or first.created_at
        earlier = firsts.filter(status__in=MODERATOR_STATUSES).alias(
            at=Coalesce("published_at", "created_at")
        )
        earlier = earlier.filter(Q(at__lt=at) | Q(at=at, id__lt=first.pk))
    else:
        earlier = firsts.published().filter(
            Q(published_at__lt=first.published_at) | Q(published_at=first.published_at, id__lt=first.pk)
        )
    return earlier.count() // settings.COMMENTS_PER_PAGE + 1


def thread_url(comment, *, moderator=False, query=""):
    """The story page that shows `comment`, at the comment; `query` adds to the page's query."""
    page = page_of(comment, moderator=moderator)
    params = "&".join(part for part in [f"cpage={page}" if page > 1 else "", query] if part)
    return f"{comment.article.get_absolute_url()}{'?' if params else ''}{params}#{comment.anchor}"
