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
from .services import answerable
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
    # A signed-in reader's page is their own (core/caching.py): it shows them Edit and Delete on
    # their comments. A page every anonymous reader shares shows nobody's.
    reader = user if user.is_authenticated else None
    if moderator:
        html = "".join(entries.draw(comment, moderator=True) for comment in page.object_list)
    else:
        html = entries.joined(page.object_list, reader=reader)
    picks_html = "".join(entries.as_pick(entries.joined([row], reader=reader), row[0]) for row in page.picks)
    comments_open = comment_moderator.allow(article)
    # Answering a comment: the Reply link without JavaScript (?reply_to=), or a refused reply.
    wanted = sent.data.get("parent") if sent is not None and sent.is_bound else request.GET.get("reply_to")
    replying = None
    if comments_open and wanted and str(wanted).isdigit():
        replying = answerable(int(wanted), article)
    form = sent or CommentForm(
        article=article, user=user, **({"initial": {"parent": replying.pk}} if replying else {})
    )
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
                "picks_html": mark_safe(picks_html),  # noqa: S308 - as entries_html
                "form": form,
                "replying": replying,
                "reply_gone": bool(wanted) and replying is None and sent is None,
                "cancel_url": _without_reply(request),
                "comments_open": comments_open,
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


def _without_reply(request):
    """This page, no longer answering a comment."""
    query = request.GET.copy()
    query.pop("reply_to", None)
    return f"{request.path}{'?' if query else ''}{query.urlencode()}#comment-form"


def cpage_url(request, number):
    """The story URL with ?cpage= replaced, landing on the comments."""
    url = page_url(request, number, name="cpage")
    return f"{request.path}{url}#comments" if url.startswith("?") else f"{url}#comments"


TEMPLATE_GLOBALS = {"comment_section": comment_section, "cpage_url": cpage_url}
