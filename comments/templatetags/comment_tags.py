from datetime import timedelta

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from accounts.models import display_name
from newsroom import fragments
from newsroom.caching import EMPTY_TOKEN, csrf_token_for_page

from ..forms import CommentForm
from ..threads import can_moderate, paginate
from ..views import cursor

register = template.Library()

# The poll asks for comments published a little before the page was drawn, and the browser skips
# those it already shows: a comment whose transaction commits while the page renders is not lost.
POLL_OVERLAP = timedelta(seconds=10)


@register.inclusion_tag("comments/_section.html", takes_context=True)
def comment_section(context):
    request = context["request"]
    article = context["article"]
    user = request.user
    moderator = can_moderate(user)
    page = paginate(article, request.GET.get("cpage"), moderator=moderator)
    sent = context.get("comment_form")  # the form as a refused post sent it
    is_bound = sent is not None and sent.is_bound
    # Made only if drawn: a cached blank form (below) needs none.
    form = sent or SimpleLazyObject(lambda: CommentForm(article=article, user=user))
    # Empty on a page every anonymous reader shares: csrf.js fetches the reader's own. Set on the
    # page's context because the inclusion tag copies the page's token over its own.
    context["csrf_token"] = csrf_token_for_page(request, bound=is_bound)
    comments_html = None
    if context["csrf_token"] is EMPTY_TOKEN and not moderator:
        # The same for every anonymous reader: rendered once, until a comment changes (or a
        # minute passes, so that "5 minutes ago" stays right).
        comments_html = fragments.cached_html(
            "comments",
            [article.pk, page.number],
            [fragments.comments_of(article.pk), "comment-authors"],
            lambda: render_to_string(
                "comments/_comments.html",
                {"comments": page.object_list, "article": article, "csrf_token": EMPTY_TOKEN},
            ),
            timeout=60,
        )
    form_html = None
    if context["csrf_token"] is EMPTY_TOKEN and not is_bound and not user.is_authenticated:
        # A blank guest form, the same for every anonymous reader but for its signed "handed out
        # at" token: kept no longer than the whole page may be (PUBLIC_CACHE_SECONDS), so the
        # token is never older than on a page from nginx.
        form_html = fragments.cached_html(
            "comment-form",
            [article.pk, article.get_absolute_url()],
            [],
            lambda: render_to_string(
                "comments/_form.html",
                {"form": form, "article": article, "user": user, "csrf_token": EMPTY_TOKEN},
            ),
            timeout=settings.PUBLIC_CACHE_SECONDS,
        )
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
        "comments": page.object_list,
        "comments_html": comments_html,
        "form": form,
        "form_html": form_html,
        "comments_open": article.comments_open,
        "moderator": moderator,
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
