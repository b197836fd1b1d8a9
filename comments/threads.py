"""The comment thread under a story: which comments, in what order, on which page."""

from functools import cached_property

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Q
from django.db.models.functions import Coalesce

from .entries import ENTRY_FIELDS
from .models import Comment


class KnownCountPaginator(Paginator):
    """A paginator told its count (Article.comment_count), so it never runs a COUNT query."""

    def __init__(self, object_list, per_page, count, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._known_count = count

    @cached_property
    def count(self):
        return self._known_count


def can_moderate(user):
    return user.is_authenticated and user.is_staff and user.has_perm("comments.moderate_comment")


def thread(article, *, moderator=False):
    """Published comments, oldest first, as their stored entries (entries.joined()); a moderator
    sees those waiting for review too, whole, to draw them with their status."""
    comments = Comment.objects.filter(article=article)
    if not moderator:
        return comments.published().order_by("published_at", "id").values_list(*ENTRY_FIELDS)
    return (
        comments.filter(status__in=[Comment.Status.PUBLISHED, Comment.Status.PENDING])
        .for_display()
        .order_by(Coalesce("published_at", "created_at"), "id")
    )


def paginate(article, page_number, *, moderator=False):
    comments = thread(article, moderator=moderator)
    if moderator:
        paginator = Paginator(comments, settings.COMMENTS_PER_PAGE)
    else:
        paginator = KnownCountPaginator(comments, settings.COMMENTS_PER_PAGE, article.comment_count)
    return paginator.get_page(page_number)


def page_of(comment, *, moderator=False):
    """The thread page a comment is on (1 for the first COMMENTS_PER_PAGE)."""
    if moderator:
        at = comment.published_at or comment.created_at
        earlier = thread(comment.article, moderator=True).alias(at=Coalesce("published_at", "created_at"))
        earlier = earlier.filter(Q(at__lt=at) | Q(at=at, id__lt=comment.pk))
    else:
        earlier = Comment.objects.published().filter(
            Q(published_at__lt=comment.published_at)
            | Q(published_at=comment.published_at, id__lt=comment.pk),
            article_id=comment.article_id,
        )
    return earlier.count() // settings.COMMENTS_PER_PAGE + 1


def thread_url(comment, *, moderator=False):
    page = page_of(comment, moderator=moderator)
    query = f"?cpage={page}" if page > 1 else ""
    return f"{comment.article.get_absolute_url()}{query}#{comment.anchor}"
