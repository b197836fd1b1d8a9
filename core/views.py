import sys
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import connections
from django.db.utils import InterfaceError, OperationalError
from django.http import Http404, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.static import serve as static_serve


def serve_media(request, path):
    """Uploaded files, in development and tests only (SERVE_MEDIA): production serves them itself."""
    if not settings.SERVE_MEDIA:
        raise Http404
    return static_serve(request, path, document_root=settings.MEDIA_ROOT)


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    # Django calls this while handling the exception: sys.exception() is what went wrong.
    if database_unreachable(sys.exception()):
        return database_unavailable()
    # No context processors: the database may be what failed.
    return HttpResponseServerError(loader.get_template("500.html").render({"site_name": settings.SITE_NAME}))


def _from_database(error):
    """Whether `error`, or an error it was raised from, is the database saying it cannot talk."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, (OperationalError, InterfaceError)):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


def database_unreachable(error):
    """Whether `error` came of a database that cannot be reached (stopped, restarting, gone), not of
    a query that failed on a working connection: a missing table is a bug and stays a 500."""
    if not _from_database(error):
        return False
    return any(
        connection.connection is None or not connection.is_usable()
        for connection in connections.all(initialized_only=True)
    )


def database_unavailable():
    """503 for every page while the database is away: nothing was saved, try again shortly. A proxy
    in front answers with the stale copy of a page it holds (deploy/nginx.conf); never stored."""
    response = bare_error(
        503,
        _("This page is not available for a moment"),
        _(
            "Something on our side is briefly out of reach, so nothing you sent was saved. Please try "
            "again in a minute: go back, what you typed is kept in this browser, and send it again."
        ),
    )
    response["Retry-After"] = str(settings.DATABASE_RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


def bare_error(status, heading, text):
    """A branded error page that reads nothing of the request: Django's own handlers check the CSRF
    token again, reading a body that made the error (a form post in latin-1 gave a 500 that way),
    and a page with context processors would ask for the very Host that was refused."""
    context = {"site_name": settings.SITE_NAME, "status": status, "heading": heading, "text": text}
    return HttpResponse(loader.get_template("bare_error.html").render(context), status=status)


def bad_request(request, exception):
    return bare_error(
        400,
        _("Your browser sent a request we cannot read"),
        _("Nothing was saved. Go back, check what you typed is still there, and send it again."),
    )


def permission_denied(request, exception):
    return bare_error(
        403, _("You are not allowed to do this"), _("Sign in with an account that may, or go back.")
    )


# Browsers ask for these at the root, whatever the page links: served from static/icons/.
ROOT_ICONS = {"favicon.ico": "image/x-icon", "apple-touch-icon.png": "image/png"}
ICON_CACHE_SECONDS = 7 * 24 * 3600  # their names have no content hash: a week, not a year


def root_icon(request, name):
    path = finders.find(f"icons/{name}") if name in ROOT_ICONS else None
    if path is None:
        raise Http404("No such icon")
    response = HttpResponse(Path(path).read_bytes(), content_type=ROOT_ICONS[name])
    patch_cache_control(response, public=True, max_age=ICON_CACHE_SECONDS)
    return response


def web_app_manifest(request):
    """The manifest that names the site and its icons for "Add to home screen"."""
    manifest = {
        "name": settings.SITE_NAME,
        "short_name": settings.SITE_NAME,
        "lang": settings.LANGUAGE_CODE,
        "start_url": "/",
        "display": "browser",
        "background_color": "#ffffff",
        "theme_color": "#ffffff",
        "icons": [
            {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {"src": static("icons/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    response = JsonResponse(
        manifest, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False}
    )
    patch_cache_control(response, public=True, max_age=24 * 3600)
    return response
