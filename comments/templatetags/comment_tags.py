from datetime import timedelta

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.safestring import mark_safe

from accounts.models import display_name
from core.caching import csrf_token_for_page

from .. import entries
from ..forms import CommentForm
from ..moderation import moderator as comment_moderator
from ..threads import can_moderate, paginate
from ..views import cursor

register = template.Library()

# The poll asks for comments published a little before the page was drawn, and the browser skips
# those it already shows: a comment whose transaction commits while the page renders is not lost.
POLL_OVERLAP = timedelta(seconds=10)


@register.inclusion_tag("comments/_section.html", takes_context=True)
def comment_section(context):
    """The discussion under a story: the form (or why there is none) and a page of comments."""
    request = context["request"]
    article = context["article"]
    user = request.user
    moderator = can_moderate(user)
    page = paginate(article, request.GET.get("cpage"), moderator=moderator)
    sent = context.get("comment_form")  # the form as a refused post sent it
    # Empty on a page every anonymous reader shares: csrf.js fetches the reader's own. Set on the
    # page's context because the inclusion tag copies the page's token over its own.
    context["csrf_token"] = csrf_token_for_page(request, bound=sent is not None and sent.is_bound)
    if moderator:
        html = "".join(entries.draw(comment, moderator=True) for comment in page.object_list)
    else:
        # The story's count is known: a story without comments needs no query for them.
        html = entries.joined(page.object_list) if article.comment_count else ""
    me = {}
    if user.is_authenticated:
        profile = getattr(user, "profile", None)
        me = {
            "my_name": display_name(user),
            "my_avatar_url": profile.avatar_url if profile is not None else "",
        }
    return me | {
        "request": request,
        "user": user,
        "article": article,
        "page": page,
        "entries_html": mark_safe(html),  # noqa: S308 - entries are escaped when drawn
        "form": sent or CommentForm(article=article, user=user),
        "comments_open": comment_moderator.allow(article),
        "messages": context.get("messages"),
        "csrf_token": context["csrf_token"],
        "since": cursor(timezone.now() - POLL_OVERLAP),
        "poll_seconds": settings.COMMENTS_POLL_SECONDS,
    }


@register.simple_tag(takes_context=True)
def cpage_url(context, number):
    """The story URL with ?cpage= replaced, landing on the comments."""
    query = context["request"].GET.copy()
    if number == 1:
        query.pop("cpage", None)
    else:
        query["cpage"] = number
    encoded = query.urlencode()
    return f"{context['request'].path}{'?' + encoded if encoded else ''}#comments"
