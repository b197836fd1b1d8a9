"""The discussion under a story, as a template function of the story page (Jinja2; core/jinja2.py).

The story page (articles) calls `comment_section()` from its template: the articles app itself
knows nothing of comments.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.messages import get_messages
from django.utils import timezone
from django.utils.safestring import mark_safe
from jinja2 import pass_context

from accounts.models import display_name
from core.caching import csrf_token_for_page
from core.jinja2 import page_url

from . import entries
from .forms import CommentForm
from .models import CommentReport
from .moderation import moderator as comment_moderator
from .threads import can_moderate, paginate
from .views import cursor

# The poll asks for comments published a little before the page was drawn, and the browser skips
# those it already shows: a comment whose transaction commits while the page renders is not lost.
POLL_OVERLAP = timedelta(seconds=10)


@pass_context
def comment_section(context):
    """The form (or why there is none) and a page of comments: stored entries, joined."""
    request, article = context["request"], context["article"]
    user = request.user
    moderator = can_moderate(user)
    page = paginate(article, request.GET.get("cpage"), moderator=moderator)
    sent = context.get("comment_form")  # the form as a refused post sent it
    if moderator:
        html = "".join(entries.draw(comment, moderator=True) for comment in page.object_list)
    else:
        # The story's count is known: a story without comments needs no query for them.
        html = entries.joined(page.object_list) if article.comment_count else ""
    me = {}
    if user.is_authenticated:
        profile = getattr(user, "profile", None)
        me = {"my_name": display_name(user), "my_avatar_url": profile.avatar_url if profile else ""}
    template = context.environment.get_template("comments/_section.html")
    return mark_safe(  # noqa: S308 - a template's output, escaped as it was drawn
        template.render(
            me
            | {
                "request": request,
                "article": article,
                "page": page,
                "entries_html": mark_safe(html),  # noqa: S308 - entries are escaped when drawn
                "form": sent or CommentForm(article=article, user=user),
                "comments_open": comment_moderator.allow(article),
                "messages": get_messages(request),
                # Empty on a page every anonymous reader shares: csrf.js fetches the reader's own.
                "csrf_token": csrf_token_for_page(request, bound=sent is not None and sent.is_bound),
                "since": cursor(timezone.now() - POLL_OVERLAP),
                "poll_seconds": settings.COMMENTS_POLL_SECONDS,
                "live_stream": settings.COMMENTS_STREAM,
                "account_next": context.get("account_next"),
                "report_reasons": CommentReport.Reason.choices,
                "site_name": settings.SITE_NAME,
            }
        )
    )


def cpage_url(request, number):
    """The story URL with ?cpage= replaced, landing on the comments."""
    url = page_url(request, number, name="cpage")
    return f"{request.path}{url}#comments" if url.startswith("?") else f"{url}#comments"


TEMPLATE_GLOBALS = {"comment_section": comment_section, "cpage_url": cpage_url}
