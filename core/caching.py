"""HTTP caching of reader pages, and the CSRF token for pages that a shared cache may hold.

An anonymous reader's page is the same for everyone, so it is sent with
`Cache-Control: public, max-age=3, s-maxage=3` (PUBLIC_CACHE_SECONDS): nginx (deploy/nginx.conf)
and the browser may keep it that long. Such a page carries no CSRF token (it would be someone
else's); the comment and report forms get theirs from /csrf/ when the reader starts to use them
(static/js/csrf.js). Without JavaScript a post from one of our own pages (the browser's
Sec-Fetch-Site, else Origin) is taken without a token (csrf_retry); a browser that sends neither
fails the CSRF check safely and `csrf_failure` answers a private page with a real token and the
reader's text, to send again with one click.

Everyone else gets `private, no-store`: signed-in readers and staff, anyone with a session or a
flash message, pages that set a cookie or carry a token, and the page right after a form post (the
`nr_fresh` cookie, so a reader sees their own comment at once rather than an older copy).
"""

from functools import wraps

from django.conf import settings
from django.http import JsonResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.views import csrf as django_csrf
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

FRESH_COOKIE = "nr_fresh"
FRESH_SECONDS = 10
PUBLIC_STATUSES = {200, 301, 404, 410}
PRIVATE_PATHS = ("/admin/", "/accounts/")
# The failures a reader without JavaScript meets on a cached page; others (a foreign Origin or
# Referer) answer Django's plain 403.
RETRYABLE_PREFIXES = ("CSRF cookie", "CSRF token")


def may_share(request):
    """Whether this request's page may be the one every anonymous reader gets."""
    if request.method not in ("GET", "HEAD") or request.path.startswith(PRIVATE_PATHS):
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies or FRESH_COOKIE in cookies:
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


class CacheHeadersMiddleware:
    """Cache-Control for every page whose view did not set its own. First in MIDDLEWARE, so it sees
    every cookie the others set."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            if 300 <= response.status_code < 400:
                # The page a post leads to must not be an older copy from a cache.
                response.set_cookie(
                    FRESH_COOKIE,
                    "1",
                    max_age=FRESH_SECONDS,
                    secure=settings.SESSION_COOKIE_SECURE,
                    httponly=True,
                    samesite="Lax",
                )
            return response
        if response.has_header("Cache-Control"):
            return response
        shared = (
            response.status_code in PUBLIC_STATUSES
            and may_share(request)
            and not response.cookies
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        )
        if shared:
            seconds = settings.PUBLIC_CACHE_SECONDS
            patch_cache_control(response, public=True, max_age=seconds, s_maxage=seconds)
        else:
            patch_cache_control(response, private=True, no_store=True)
        return response


class _EmptyToken:
    """Prints as an empty token: `{% csrf_token %}` renders its field with `value=""`."""

    def __bool__(self):
        return True

    def __str__(self):
        return ""


EMPTY_TOKEN = _EmptyToken()


def csrf_token_for_page(request, bound=False):
    """What `{% csrf_token %}` puts in its field: nothing on a page every anonymous reader shares
    (csrf.js fills in the reader's own), the reader's token anywhere else."""
    if may_share(request) and not bound:
        return EMPTY_TOKEN
    return get_token(request)


@require_GET
@never_cache
def csrf_token(request):
    """The reader's own CSRF token for forms on a cached page; sets the CSRF cookie as well."""
    return JsonResponse({"token": get_token(request)})


def same_origin(request):
    """Whether the browser says this request comes from one of our own pages.

    Browsers set Sec-Fetch-Site themselves and no page can change it; where it is missing (older
    browsers), the Origin header must be ours. Neither: not shown, so not trusted.
    """
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        return site == "same-origin"
    origin = request.headers.get("Origin")
    if not origin or origin == "null":
        return False
    return origin == f"{request.scheme}://{request.get_host()}" or origin in settings.CSRF_TRUSTED_ORIGINS


def csrf_retry(view):
    """For a view whose form sits on a page a shared cache hands out, so carries no CSRF token.

    A post from one of our own pages (same_origin) is taken at the first press, with or without
    JavaScript: cross-site request forgery is what that check rules out, as the token would. Any
    other post gets Django's full CSRF check; refused for want of a token, it gets the page to send
    it again (csrf_failure); from another site, Django's plain 403.
    """
    checker = CsrfViewMiddleware(lambda request: None)

    @wraps(view)
    def checked(request, *args, **kwargs):
        if request.method == "POST" and not same_origin(request):
            refusal = checker.process_view(request, view, args, kwargs)
            if refusal is not None:
                return refusal
        return view(request, *args, **kwargs)

    checked.csrf_exempt = True  # checked above instead
    checked.csrf_retry = True
    return checked


def csrf_failure(request, reason=""):
    """Without JavaScript, a form on a cached page has no token: offer to send it again, safely.

    Nothing was done with the first post. The answer is private and carries this reader's token
    (and cookie), so pressing the button again passes the check. A forged cross-site post already
    fails on its Origin or Referer and gets Django's plain 403 instead.
    """
    if (
        request.method != "POST"
        or not reason.startswith(RETRYABLE_PREFIXES)
        or not request.POST
        # Only the forms of cached pages: never, say, an admin action on a second press.
        or request.resolver_match is None
        or not getattr(request.resolver_match.func, "csrf_retry", False)
    ):
        return django_csrf.csrf_failure(request, reason)
    fields = [
        (name, value)
        for name, values in request.POST.lists()
        if name != "csrfmiddlewaretoken"
        for value in values
    ]
    response = render(
        request,
        "csrf_retry.html",
        {"action": request.get_full_path(), "fields": fields},
        status=403,
    )
    add_never_cache_headers(response)
    return response
