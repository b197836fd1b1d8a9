"""Rendered HTML that changes rarely, kept in the cache and dropped the moment what it shows changes.

Each fragment's key holds the version stamps of what it depends on ("comments:42" for the
comments under story 42, "sections" for the navigation). A change writes a new stamp, so the old
fragment is never read again and simply expires. A stamp missing from the cache (evicted, or a
restarted Redis) starts afresh, which also makes every fragment that used it miss. The "fragments"
cache is Redis when there is one, else files shared by every worker of this machine (settings).
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import caches
from django.core.cache.utils import make_template_fragment_key
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language


def _alias():
    return "fragments" if "fragments" in settings.CACHES else "default"


def _cache():
    return caches[_alias()]


def _stamp():
    return time.time_ns()


def _stamps(names):
    """The keys "v:<name>" and {key: stamp}; a stamp missing from the cache is started afresh."""
    cache = _cache()
    keys = [f"v:{name}" for name in names]
    found = cache.get_many(keys)
    missing = {key: _stamp() for key in keys if key not in found}
    if missing:
        cache.set_many(missing, None)
        found |= missing
    return keys, found


def versions(*names):
    keys, found = _stamps(names)
    return ".".join(str(found[key]) for key in keys)


def bump(*names):
    """Drop every fragment that depends on these names: now, and again once the current
    transaction commits (a page drawn in between may have cached what was there before)."""

    def drop():
        _cache().set_many({f"v:{name}": _stamp() for name in names}, None)

    drop()
    transaction.on_commit(drop)


def cached_html(name, parts, depends_on, render, timeout=None):
    """`render()`'s HTML, from the cache while nothing in `depends_on` has changed."""
    if not settings.FRAGMENT_CACHE_SECONDS:  # 0: no fragment is kept (the benchmark's "nothing cached")
        return mark_safe(str(render()))  # noqa: S308 - as below
    key = ":".join(["frag", name, versions(*depends_on), get_language() or "", *map(str, parts)])
    html = _cache().get(key)
    if html is None:
        html = str(render())
        _cache().set(key, html, settings.FRAGMENT_CACHE_SECONDS if timeout is None else timeout)
    return mark_safe(html)  # noqa: S308 - our own templates' output, escaped when it was rendered


def cached_value(name, depends_on, compute, timeout=None):
    """Like cached_html, for a small picklable value such as the navigation's sections."""
    if not settings.FRAGMENT_CACHE_SECONDS:
        return compute()
    key = ":".join(["val", name, versions(*depends_on), get_language() or ""])
    value = _cache().get(key)
    if value is None:
        value = compute()
        _cache().set(key, value, settings.FRAGMENT_CACHE_SECONDS if timeout is None else timeout)
    return value


def _page_key(request):
    # Hashed: a URL can be longer than a cache key may be (250 characters for memcached).
    url = f"{request.get_host()}{request.get_full_path()}".encode()
    return ":".join(["page", get_language() or "", hashlib.sha256(url).hexdigest()])


def cached_page(request):
    """The whole page as an anonymous reader last got it, if nothing it shows has changed since.

    No query at all: the entry holds the version stamps it was drawn with, compared here.
    """
    if not settings.PAGE_CACHE:
        return None
    entry = _cache().get(_page_key(request))
    if entry is None:
        return None
    stamps, content = entry
    if _cache().get_many(list(stamps)) != stamps:
        return None
    return HttpResponse(content)


def keep_page(request, response, depends_on):
    """Keep `response` (a TemplateResponse) once rendered, for PUBLIC_CACHE_SECONDS at most."""
    if not settings.PAGE_CACHE:
        return
    # Read before rendering: a change made meanwhile leaves the entry out of date, never hidden.
    # cached_page() compares these with the cache's own, so a stamp that was never stored (a
    # cache that dropped the write) only makes the entry miss.
    _keys, stamps = _stamps(depends_on)
    response.add_post_render_callback(
        lambda rendered: _cache().set(
            _page_key(request), (stamps, rendered.content), settings.PUBLIC_CACHE_SECONDS
        )
    )


def story_cache(request, article):
    """What the story page's {% cache %} blocks need: cache alias, timeout and key parts."""
    return {
        "alias": _alias(),
        "seconds": settings.FRAGMENT_CACHE_SECONDS,
        "key": [
            article.pk,
            article.modified_at.timestamp() if article.modified_at else "",
            versions("articles", "sections"),
            request.get_host(),
            get_language() or "",
        ],
    }


STORY_FRAGMENTS = ("story_meta", "story")


def kept_story_fragments(story_cache):
    """The story page's {% cache %} blocks already kept, by name, read once: the page prints these
    rather than have its {% cache %} tags read them again, and when both are there the view skips
    the queries only they need."""
    cache = caches[story_cache["alias"]]
    keys = {make_template_fragment_key(name, [story_cache["key"]]): name for name in STORY_FRAGMENTS}
    # Our own templates' output, escaped when it was rendered.
    return {keys[key]: mark_safe(html) for key, html in cache.get_many(list(keys)).items()}  # noqa: S308


def comments_of(article_id):
    return f"comments:{article_id}"


# What changes what. Stories, photos and sections are saved one at a time, in the admin. Comments:
# every change readers see goes through refresh_comment_counts (comments/services.py) or saves a
# Comment; a reader's display name or avatar shows on all of theirs.


def _comment_changed(sender, instance, **kwargs):
    bump(comments_of(instance.article_id))


def _profile_changed(sender, **kwargs):
    bump("comment-authors")


def _user_changed(sender, update_fields=None, **kwargs):
    # Not on every sign-in (which saves last_login only): only when the name may have changed.
    if update_fields is None or {"first_name", "last_name"} & set(update_fields):
        bump("comment-authors")


def _sections_changed(sender, **kwargs):
    bump("sections")


def _stories_changed(sender, **kwargs):
    bump("articles")


def connect():
    from django.contrib.auth import get_user_model

    from accounts.models import Profile
    from articles.models import Article, Correction, Photo, Section
    from comments.models import Comment

    for signal in (post_save, post_delete):
        signal.connect(_comment_changed, sender=Comment, dispatch_uid="fragments-comment")
        signal.connect(_sections_changed, sender=Section, dispatch_uid="fragments-section")
        signal.connect(_stories_changed, sender=Article, dispatch_uid="fragments-article")
        signal.connect(_stories_changed, sender=Photo, dispatch_uid="fragments-photo")
        signal.connect(_stories_changed, sender=Correction, dispatch_uid="fragments-correction")
    post_save.connect(_profile_changed, sender=Profile, dispatch_uid="fragments-profile")
    post_save.connect(_user_changed, sender=get_user_model(), dispatch_uid="fragments-user")
