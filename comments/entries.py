"""Each comment's entry in the thread, drawn once and stored with its row (Comment.entry_html).

A thread page joins its comments' stored entries: nothing is rendered while a reader waits for
the page. An entry shows the comment (its text, time, author's name and avatar) the way the site
draws comments (the template, the site's language and time zone). `entry_version()` names the
latter: an entry drawn under another one (after a change to the template, or a row written
without save()) is drawn again, and stored, the next time it is read. What changes the former
draws the entry again at once: saving the comment, approving it (services.moderate), its author
renaming themselves or changing their avatar (signals.py).

Times are printed as they are ("18:39 GMT+3, 25.03.2017"): "5 minutes ago" would go stale in a
stored entry, so the browser shows relative times (static/js/comments.js).
"""

import hashlib
from datetime import timedelta
from functools import cache
from pathlib import Path

from django.conf import settings
from django.template.loader import get_template
from django.utils import timezone, translation

TEMPLATE = "comments/_comment.html"
# Raise it when what the template is given or calls changes (an edit to the template itself
# changes the version on its own): every entry is drawn again.
REVISION = 2
# What a reader's thread page reads of each comment: values_list(*ENTRY_FIELDS), for joined().
ENTRY_FIELDS = ("id", "entry_html", "entry_version")


@cache
def _template_digest():
    source = Path(get_template(TEMPLATE).origin.name).read_bytes()
    return hashlib.blake2b(source, digest_size=8).hexdigest()


def entry_version():
    """How entries are drawn now: the template, what it is given, the language and time zone."""
    key = f"{REVISION}:{_template_digest()}:{settings.LANGUAGE_CODE}:{settings.TIME_ZONE}"
    return hashlib.blake2b(key.encode(), digest_size=8).hexdigest()


def draw(comment, *, moderator=False):
    """The comment's entry: as every reader sees it, or for a moderator, with its status and a link
    to moderate it (drawn for each request, never stored)."""
    with translation.override(settings.LANGUAGE_CODE):
        return get_template(TEMPLATE).render({"comment": comment, "moderator": moderator})


def store(comments):
    """Draw these comments' entries and store them, in one query."""
    version = entry_version()
    for comment in comments:
        comment.entry_html, comment.entry_version = draw(comment), version
    if comments:
        type(comments[0]).objects.bulk_update(comments, ["entry_html", "entry_version"], batch_size=500)


def joined(rows, *, reader=None):
    """The entries of `rows`, (id, entry_html, entry_version, ...) tuples as values_list(*ENTRY_FIELDS)
    reads them, one after the other. Entries drawn under another version are drawn again first.

    With `reader` (a signed-in reader, whose page is their own and never shared), rows that also
    carry (user_id, created_at) show that reader Edit and Delete on their own comments."""
    rows = list(rows)
    version = entry_version()
    stale = [row[0] for row in rows if row[2] != version]
    redrawn = {}
    if stale:
        from .models import Comment  # models.py imports this module

        fresh = list(Comment.objects.filter(pk__in=stale).for_display())
        store(fresh)
        redrawn = {comment.pk: comment.entry_html for comment in fresh}
    parts = []
    for row in rows:
        html = redrawn.get(row[0], row[1])
        if reader is not None and len(row) > 4 and row[3] == reader.pk:
            html = own(html, editable=timezone.now() < row[4] + edit_window())
        parts.append(html)
    return "".join(parts)


# Every entry of an account's comment carries its Edit and Delete links, hidden: only its author's
# own page shows them (own()), so the stored entry stays the same for everyone.
EDIT_HIDDEN, DELETE_HIDDEN = 'class="comment__edit" hidden', 'class="comment__delete" hidden'


def edit_window():
    return timedelta(minutes=settings.COMMENTS_EDIT_MINUTES)


def own(html, *, editable):
    """An entry as its author sees it: with Delete, and Edit while the edit window is open."""
    html = html.replace(DELETE_HIDDEN, 'class="comment__delete"', 1)
    return html.replace(EDIT_HIDDEN, 'class="comment__edit"', 1) if editable else html


def as_pick(html, pk):
    """An entry shown again among the editors' picks: with an id of its own, as ids are unique."""
    return html.replace(f'id="comment-{pk}"', f'id="pick-{pk}"', 1)
